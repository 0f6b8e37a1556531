#!/usr/bin/env node
// The only place that sets the process exit code.
import { main } from '../dist/src/cli/main.js';

// stderr carries pino JSON logs when it is not a terminal: process warnings (the
// AWS SDK's Node version notice, deprecations) become JSON log lines too.
if (!process.stderr.isTTY) {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), warning: warning.name, msg: warning.message })}\n`);
  });
}

process.exitCode = await main(process.argv.slice(2));
