/** Everything the SSM handlers share: the fleet, the stores and the executor. */
import type { FleetIndex } from '../fleet-index.js';
import type { ObjectStore } from '../s3/object-store.js';
import type { EndpointStats } from '../stats.js';
import type { AssociationRunner } from './associations-runner.js';
import type { AssociationStore } from './associations-store.js';
import type { CommandStore } from './command-store.js';
import type { ComplianceStore } from './compliance-store.js';
import type { DocumentStore } from './documents.js';
import type { InvocationExecutor } from './executor.js';
import type { JsonInput } from './input.js';

export interface SsmContext {
  /** The sandbox S3, where commands with OutputS3BucketName leave their outputs. */
  objects: ObjectStore;
  fleet: FleetIndex;
  documents: DocumentStore;
  commands: CommandStore;
  compliance: ComplianceStore;
  associations: AssociationStore;
  /** Runs associations on create/update and on their schedule. */
  associationRunner: AssociationRunner;
  executor: InvocationExecutor;
  stats: EndpointStats;
  consistencyDelayMs: number;
  minDeliveryTimeoutSeconds: number;
}

export type SsmHandler = (ctx: SsmContext, input: JsonInput) => Record<string, unknown>;
