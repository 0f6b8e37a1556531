/** Times named phases one after another, with the CPU time and peak RSS of this process during each. */
import { performance } from 'node:perf_hooks';
import { RssSampler } from './rss-sampler.js';

export interface PhaseFigure {
  name: string;
  ms: number;
  /** User + system CPU of this whole process (endpoint included), in ms. */
  cpuMs: number;
  peakRssBytes: number;
}

export class PhaseTimer {
  readonly phases: PhaseFigure[] = [];
  private readonly rss = new RssSampler();

  async time<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    this.rss.takePeakBytes();
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    try {
      return await work();
    } finally {
      const ms = tenths(performance.now() - start);
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = tenths((cpu.user + cpu.system) / 1000);
      this.phases.push({ name, ms, cpuMs, peakRssBytes: this.rss.takePeakBytes() });
    }
  }

  totalMs(): number {
    return this.phases.reduce((sum, phase) => sum + phase.ms, 0);
  }

  peakRssBytes(): number {
    return Math.max(0, ...this.phases.map((phase) => phase.peakRssBytes));
  }

  stop(): void {
    this.rss.stop();
  }
}

function tenths(value: number): number {
  return Math.round(value * 10) / 10;
}
