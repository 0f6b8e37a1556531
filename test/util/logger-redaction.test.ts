import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/util/logger.js';
import { REDACTED_JOIN_TOKEN, redactSecrets } from '../../src/util/redact.js';

// The shape docker prints: SWMTKN-1-<50 base36 CA digest>-<25 base36 secret>.
const TOKEN = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';

function tempFile(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-audit-log-'));
  return { path: join(dir, 'log'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Logs one of everything that can carry command output: message, fields, bindings, an error with a cause. */
function logEverything(logger: ReturnType<typeof createLogger>): void {
  const cause = new Error(`join failed for ${TOKEN}`);
  const err = new Error(`step output: docker swarm join --token ${TOKEN} 10.0.0.1:2377`, { cause });
  logger.child({ script: `JOIN_TOKEN='${TOKEN}'` }).trace({ sdk: [{ output: { StandardOutputContent: `${TOKEN}\n` } }] }, `fetched ${TOKEN}`);
  logger.debug({ err }, 'debug with error');
  logger.error(err);
  logger.info('done');
}

describe('redactSecrets', () => {
  it('replaces every join token, cut or whole, and nothing else', () => {
    expect(redactSecrets(`a ${TOKEN} b JOIN_TOKEN='${TOKEN}'`)).toBe(`a ${REDACTED_JOIN_TOKEN} b JOIN_TOKEN='${REDACTED_JOIN_TOKEN}'`);
    expect(redactSecrets('cut: SWMTKN-1-3pu6hszj')).toBe(`cut: ${REDACTED_JOIN_TOKEN}`);
    expect(redactSecrets('SWMTKN-2 is not a v1 token; no secret here')).toBe('SWMTKN-2 is not a v1 token; no secret here');
    // the plan's validation pattern names the prefix only
    expect(redactSecrets('^SWMTKN-1-[a-z0-9]{40,60}-[a-z0-9]{20,30}$')).toBe('^SWMTKN-1-[a-z0-9]{40,60}-[a-z0-9]{20,30}$');
  });
});

describe('createLogger', () => {
  it('JSON lines at trace carry no join token in messages, fields, bindings, error stacks or causes', () => {
    const file = tempFile();
    try {
      logEverything(createLogger('trace', false, file.path));
      const text = readFileSync(file.path, 'utf8');
      const lines = text.trim().split('\n');
      expect(lines).toHaveLength(4);
      lines.forEach((line) => JSON.parse(line));
      expect(text).not.toContain('SWMTKN-1-');
      // the lines are still there, redacted: the stack and the cause were logged
      expect(text).toContain(`fetched ${REDACTED_JOIN_TOKEN}`);
      expect(text).toContain(`"script":"JOIN_TOKEN='${REDACTED_JOIN_TOKEN}'"`);
      expect(text).toMatch(/"stack":"Error: step output: docker swarm join --token SWMTKN-<redacted>/);
      expect(text).toContain(`join failed for ${REDACTED_JOIN_TOKEN}`);
    } finally {
      file.done();
    }
  });

  it('the pretty output a terminal gets carries no join token either', async () => {
    const file = tempFile();
    try {
      logEverything(createLogger('trace', true, file.path));
      const deadline = Date.now() + 10_000;
      let text = '';
      while (!text.includes('done') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        try { text = readFileSync(file.path, 'utf8'); } catch { /* the transport has not opened it yet */ }
      }
      expect(text).toContain('done');
      expect(text).toContain(`fetched ${REDACTED_JOIN_TOKEN}`);
      expect(text).toContain(`join failed for ${REDACTED_JOIN_TOKEN}`);
      expect(text).not.toContain('SWMTKN-1-');
    } finally {
      file.done();
    }
  });
});
