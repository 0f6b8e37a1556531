import { createAwsClients } from '../aws/client-factory.js';
import { createLogger } from '../util/logger.js';
import type { AwsClientsFactory } from './context.js';
import type { AwsArgs } from './options.js';

/** Builds the logger and the narrow AWS clients from the common flags, through the context's factory (default: the SDK's). */
export function awsContext(args: AwsArgs, factory: AwsClientsFactory = createAwsClients) {
  const logger = createLogger(args.logLevel);
  const clients = factory({
    region: args.region,
    profile: args.profile,
    endpointUrl: args.endpointUrl,
    roleArn: args.roleArn,
    logger,
  });
  return { logger, ...clients };
}
