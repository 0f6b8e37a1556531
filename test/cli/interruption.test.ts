import { InterruptedError, interruptionOf, whileInterruptible, type InterruptSignal, type SignalPort } from '../../src/cli/interruption.js';

/** A process whose signals the test sends. */
class FakeSignals implements SignalPort {
  private listeners = new Set<(name: InterruptSignal) => void>();
  readonly exits: number[] = [];

  listen(onSignal: (name: InterruptSignal) => void): () => void {
    this.listeners.add(onSignal);
    return () => this.listeners.delete(onSignal);
  }

  exitNow(code: number): void {
    this.exits.push(code);
  }

  send(name: InterruptSignal): void {
    for (const listener of this.listeners) listener(name);
  }

  get listening(): number {
    return this.listeners.size;
  }
}

describe('whileInterruptible', () => {
  it('aborts the run on the first signal with "cancelled by SIGTERM" and lets it finish', async () => {
    const signals = new FakeSignals();
    const told: string[] = [];
    const result = await whileInterruptible({ signals, onInterrupt: (n) => told.push(n) }, async (signal) => {
      expect(signals.listening).toBe(1);
      signals.send('SIGTERM');
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(InterruptedError);
      expect((signal.reason as Error).message).toBe('cancelled by SIGTERM');
      expect(interruptionOf(signal)?.signalName).toBe('SIGTERM');
      return 'partial report';
    });
    expect(result).toBe('partial report');
    expect(told).toEqual(['SIGTERM']);
    expect(signals.exits).toEqual([]);
  });

  it('exits at once with 2 on a second signal while finishing', async () => {
    const signals = new FakeSignals();
    await whileInterruptible({ signals }, async () => {
      signals.send('SIGINT');
      signals.send('SIGINT');
    });
    expect(signals.exits).toEqual([2]);
  });

  it('removes its handlers after the run, also when the run throws', async () => {
    const signals = new FakeSignals();
    await whileInterruptible({ signals }, async () => 'done');
    expect(signals.listening).toBe(0);
    await expect(
      whileInterruptible({ signals }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(signals.listening).toBe(0);
  });

  it('without a signal source runs uninterruptible (no process handler installed)', async () => {
    const before = process.listenerCount('SIGTERM');
    await whileInterruptible({}, async (signal) => {
      expect(process.listenerCount('SIGTERM')).toBe(before);
      expect(signal.aborted).toBe(false);
    });
  });
});
