/**
 * `npm run demo`: the main job on the embedded default. Builds the sandbox
 * (a real multi-node Swarm plus the local AWS-compatible endpoint), runs
 * `swarm-audit audit` against it through the real SDK, prints the report,
 * and tears everything down, also on failure or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SwarmAuditError } from '../../src/errors.js';
import { sandboxDown, sandboxUp } from './src/swarm/index.js';
import { createLogger } from '../../src/util/logger.js';

const cliPath = fileURLToPath(new URL('../../../bin/swarm-audit.js', import.meta.url));

async function demo(): Promise<number> {
  const logger = createLogger('info');
  const onSignal = () => logger.warn('interrupted: tearing the sandbox down');
  process.once('SIGINT', onSignal);
  try {
    const state = await sandboxUp({ logger });
    process.stderr.write(`\nsandbox up in ${(state.timings.totalMs / 1000).toFixed(1)} s at ${state.endpoint?.url}\n\n`);
    const code = await runCli(
      ['audit', '--tag-key', 'Swarm', '--timeout', '60', '--endpoint-url', state.endpoint!.url, '--region', 'us-east-1', '--output', 'table'],
      state.endpoint!.url,
    );
    process.stderr.write(`\nswarm-audit audit exited ${code} (${meaning(code)})\n`);
    return code <= 2 ? 0 : code;
  } catch (err) {
    if (err instanceof SwarmAuditError) {
      process.stderr.write(`demo cannot run here: ${err.message}\n`);
      return 3;
    }
    throw err;
  } finally {
    await sandboxDown({ logger }).catch((err) => logger.error({ err }, 'sandbox down failed'));
  }
}

function runCli(args: string[], endpointUrl: string): Promise<number> {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDSANDBOX',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 2));
  });
}

function meaning(code: number): string {
  return ['all checks pass', 'failing findings, as the demo fleet is built to have', 'incomplete', 'usage error'][code] ?? 'unexpected';
}

process.exitCode = await demo();
