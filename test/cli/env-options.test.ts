import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { dropForeignEnvOptions } from '../../src/cli/env-options.js';

describe('dropForeignEnvOptions', () => {
  const env = { SWARM_AUDIT_APPLY: 'true', SWARM_AUDIT_DOCUMENT_NAME: 'doc', SWARM_AUDIT_DOCKERD_LOG: '/x', SWARM_AUDIT_OUTPUT: 'json' };

  test.each([
    ['a flag of another command', 'apply'],
    ['a camel-cased multi-word flag of another command', 'documentName'],
    ['its kebab-cased twin', 'document-name'],
    ['a variable that is no flag at all', 'dockerdLog'],
  ])('drops %s set only by the environment', (_, key) => {
    const argv: Record<string, unknown> = { _: ['discover'], $0: 'swarm-audit', [key]: 'x', output: 'json' };
    dropForeignEnvOptions(argv, ['output', 'tag'], ['discover'], env);
    expect(argv).toEqual({ _: ['discover'], $0: 'swarm-audit', output: 'json' });
  });

  test('keeps what the command defines, camel-cased or not', () => {
    const argv: Record<string, unknown> = { _: [], $0: 's', documentName: 'doc', 'document-name': 'doc' };
    dropForeignEnvOptions(argv, ['document-name'], [], env);
    expect(argv).toEqual({ _: [], $0: 's', documentName: 'doc', 'document-name': 'doc' });
  });

  test('keeps an unknown flag typed on the command line, so strict parsing still rejects it', () => {
    for (const raw of [['--apply'], ['--apply=true'], ['--no-apply']]) {
      const argv: Record<string, unknown> = { _: [], $0: 's', apply: true };
      dropForeignEnvOptions(argv, ['output'], raw, env);
      expect(argv.apply).toBe(true);
    }
  });

  test('keeps an unknown key no SWARM_AUDIT_ variable explains', () => {
    const argv: Record<string, unknown> = { _: [], $0: 's', bogus: 1 };
    dropForeignEnvOptions(argv, ['output'], [], env);
    expect(argv.bogus).toBe(1);
  });
});

describe('main() with SWARM_AUDIT_ variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  });

  function context(): CliContext & { err: () => string } {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (d: Buffer) => (text += d.toString()));
    return { stdout: new PassThrough(), stderr, env: process.env, isTty: false, exitCode: 0, err: () => text };
  }

  test('a variable meant for another command does not break this one; a bad value of its own still does', async () => {
    process.env.SWARM_AUDIT_APPLY = 'true';
    process.env.SWARM_AUDIT_DOCKERD_LOG = '/tmp/x';
    const ctx = context();
    // discover without a tag filter is a usage error of its own: proves parsing went past the foreign variables
    expect(await main(['discover', '--region', 'us-east-1', '--log-level', 'silent'], ctx)).toBe(3);
    expect(ctx.err()).toMatch(/NoTargetFilter/);
    expect(ctx.err()).not.toMatch(/Unknown argument/);

    process.env.SWARM_AUDIT_OUTPUT = 'bogus';
    const bad = context();
    expect(await main(['discover', '--tag-key', 'Swarm', '--region', 'us-east-1'], bad)).toBe(3);
    expect(bad.err()).toMatch(/Invalid values:[\s\S]*output/);
  });

  test('an unknown flag typed on the command line is still rejected', async () => {
    const ctx = context();
    expect(await main(['discover', '--apply', '--tag-key', 'Swarm'], ctx)).toBe(3);
    expect(ctx.err()).toMatch(/Unknown argument: apply/);
  });
});
