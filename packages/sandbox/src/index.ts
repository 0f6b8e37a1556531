/** The sandbox workspace's entry: what `swarm-audit sandbox` runs (commands/handlers/load-sandbox.ts loads it). */
export { serveFleetFile } from './endpoint/serve.js';
export { sandboxDown, sandboxStatus, sandboxUp } from './swarm/index.js';
