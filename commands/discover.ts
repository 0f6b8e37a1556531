import type { CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withDiscoveryOptions, type DiscoveryArgs } from '../src/cli/options.js';

export function discoverCommand(ctx: CliContext): CommandModule<object, DiscoveryArgs> {
  return {
    command: 'discover',
    describe: 'List the instances a tag query selects, with their SSM agent status',
    builder: (yargs) => withDiscoveryOptions(yargs, ['table', 'json']),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/discover.js')).discoverHandler(ctx, args),
  };
}
