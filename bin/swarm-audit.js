#!/usr/bin/env node
// The only place that sets the process exit code.
import { main } from '../dist/src/cli/main.js';
import { captureProcessWarnings } from '../dist/src/util/process-warnings.js';
import { limitHeapGrowth } from '../dist/src/util/heap-growth.js';

// Process warnings (the AWS SDK's Node-version notice, deprecations) go through
// the run's logger, so stderr stays one log format (src/util/process-warnings.ts).
captureProcessWarnings();
// Collect garbage before the heap grows far past what an audit keeps (src/util/heap-growth.ts).
limitHeapGrowth();

process.exitCode = await main(process.argv.slice(2));
