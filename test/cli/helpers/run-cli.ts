/** Runs the CLI as the bin does (main(argv, ctx)) with the AWS of fake regions: exit code, stdout, stderr and what the client factory was asked. */
import { main } from '../../../src/cli/main.js';
import { captureContext } from './capture-context.js';
import { fakeAwsFactory, type FakeRegion } from './fake-aws.js';

export async function runCli(argv: string[], regions: Record<string, FakeRegion> = {}) {
  const ctx = captureContext();
  const { factory, asked } = fakeAwsFactory(regions);
  ctx.awsClients = factory;
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err(), asked };
}
