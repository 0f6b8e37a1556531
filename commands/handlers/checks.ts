/** What `swarm-audit checks` does; loaded by commands/checks.ts only when the command runs. */
import { catalogEntry } from '../../src/catalog/check-catalog.js';
import { formatCatalogJson, formatCatalogTable } from '../../src/catalog/format-catalog.js';
import { checkRegistry } from '../../src/checks/registry.js';
import type { CliContext } from '../../src/cli/context.js';
import { writeReport } from '../../src/cli/write-output.js';
import type { ChecksArgs } from '../checks.js';

export async function checksHandler(ctx: CliContext, args: ChecksArgs): Promise<void> {
  const entries = (ctx.checks ?? checkRegistry).all.map(catalogEntry);
  await writeReport(ctx, args.output === 'json' ? formatCatalogJson(entries) : formatCatalogTable(entries));
  ctx.exitCode = 0;
}
