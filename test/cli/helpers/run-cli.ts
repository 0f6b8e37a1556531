/** Runs the CLI as the bin does (main(argv, ctx)) with the AWS of fake regions and roles: exit code, stdout, stderr, what the client factory was asked and the roles assumed. */
import { main } from '../../../src/cli/main.js';
import { captureContext } from './capture-context.js';
import { fakeAwsFactory, type FakeRegion, type FakeRole } from './fake-aws.js';

export async function runCli(argv: string[], regions: Record<string, FakeRegion> = {}, roles: Record<string, FakeRole> = {}) {
  const ctx = captureContext();
  const { factory, asked, assumed } = fakeAwsFactory(regions, roles);
  ctx.awsClients = factory;
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err(), asked, assumed };
}
