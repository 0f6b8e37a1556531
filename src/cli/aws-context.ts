import { createAwsClients } from '../aws/client-factory.js';
import { createLogger } from '../util/logger.js';
import type { AwsArgs } from './options.js';

/** Builds the logger and the narrow AWS clients from the common flags. */
export function awsContext(args: AwsArgs) {
  const logger = createLogger(args.logLevel);
  const clients = createAwsClients({
    region: args.region,
    profile: args.profile,
    endpointUrl: args.endpointUrl,
    roleArn: args.roleArn,
    logger,
  });
  return { logger, ...clients };
}
