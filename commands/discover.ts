import type { CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { withDiscoveryOptions, type DiscoveryArgs } from '../src/cli/options.js';

const DISCOVER_HELP: CommandHelp = {
  examples: [
    { run: '$0 discover --tag Swarm=prod', does: 'The instances tagged Swarm=prod, whatever their state, with their SSM agent status' },
    { run: '$0 discover --tag-key Swarm --output json --output-file fleet.json', does: 'Every instance carrying the Swarm tag, as JSON on stdout and in fleet.json' },
  ],
};

export function discoverCommand(ctx: CliContext): CommandModule<object, DiscoveryArgs> {
  return {
    command: 'discover',
    describe: 'List the instances a tag query selects, with their SSM agent status',
    builder: (yargs) => withHelp(withDiscoveryOptions(yargs, ['table', 'json']), DISCOVER_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/discover.js')).discoverHandler(ctx, args),
  };
}
