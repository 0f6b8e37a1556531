/**
 * AWS for a command run through main(): one region's EC2 inventory, SSM
 * (agents, Run Command answering with captured probe records, State Manager,
 * compliance), S3, STS and Security Hub, all at our narrow interfaces, handed
 * to the CLI as CliContext.awsClients. Run Command finishes at once (virtual
 * time 0, the fleet tests cover its timing); the runner still polls on the
 * real clock, so an audit through it takes about a second.
 */
import type {
  DescribeInstanceInformationCommandInput,
  DescribeInstanceInformationCommandOutput,
  PutComplianceItemsCommandInput,
} from '@aws-sdk/client-ssm';
import type { BatchImportFindingsCommandInput, BatchImportFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { AwsClientOptions, AwsClients } from '../../../src/aws/client-factory.js';
import type { SecurityHubApi } from '../../../src/aws/securityhub-api.js';
import type { SsmAssociationsApi } from '../../../src/aws/ssm-api.js';
import type { StsApi } from '../../../src/aws/sts-api.js';
import type { AwsClientsFactory } from '../../../src/cli/context.js';
import { FakeEc2, FakeSsmInventory, type InventoryInstance } from '../../fleet/helpers/fake-inventory.js';
import { FakeS3 } from '../../fleet/helpers/fake-s3.js';
import { FakeSsm, type InstanceScript } from '../../fleet/helpers/fake-ssm.js';
import { VirtualClock } from '../../fleet/helpers/virtual-clock.js';
import { FakeStateManager } from './fake-state-manager.js';

/** Run Command plus the SSM calls around it: DescribeInstanceInformation from the inventory's agents, compliance and State Manager. */
class FleetSsm extends FakeSsm implements SsmAssociationsApi {
  readonly compliance: PutComplianceItemsCommandInput[] = [];

  constructor(
    clock: VirtualClock,
    script: (id: string) => InstanceScript,
    private readonly agents: FakeSsmInventory,
    readonly stateManager: FakeStateManager,
  ) {
    super(clock, script, 0);
  }

  override describeInstanceInformation(input: DescribeInstanceInformationCommandInput = {}): Promise<DescribeInstanceInformationCommandOutput> {
    return this.agents.describeInstanceInformation(input);
  }

  // optional as in the base class's signature; the publisher always passes one
  override putComplianceItems(input?: PutComplianceItemsCommandInput): Promise<void> {
    if (input === undefined) return Promise.reject(new Error('PutComplianceItems without input'));
    this.compliance.push(input);
    return Promise.resolve();
  }

  createAssociation: FakeStateManager['createAssociation'] = (input) => this.stateManager.createAssociation(input);
  updateAssociation: FakeStateManager['updateAssociation'] = (input) => this.stateManager.updateAssociation(input);
  describeAssociation: FakeStateManager['describeAssociation'] = (input) => this.stateManager.describeAssociation(input);
  listAssociations: FakeStateManager['listAssociations'] = (input) => this.stateManager.listAssociations(input);
  describeAssociationExecutions: FakeStateManager['describeAssociationExecutions'] = (input) => this.stateManager.describeAssociationExecutions(input);
  describeAssociationExecutionTargets: FakeStateManager['describeAssociationExecutionTargets'] = (input) =>
    this.stateManager.describeAssociationExecutionTargets(input);
  deleteAssociation: FakeStateManager['deleteAssociation'] = (input) => this.stateManager.deleteAssociation(input);
}

class FakeSts implements StsApi {
  calls = 0;
  constructor(private readonly accountId: string) {}

  getCallerIdentity(): Promise<GetCallerIdentityCommandOutput> {
    this.calls++;
    return Promise.resolve({ $metadata: {}, Account: this.accountId, Arn: `arn:aws:iam::${this.accountId}:user/auditor`, UserId: 'AIDAEXAMPLE' });
  }
}

class FakeSecurityHub implements SecurityHubApi {
  readonly imports: BatchImportFindingsCommandInput[] = [];

  batchImportFindings(input: BatchImportFindingsCommandInput): Promise<BatchImportFindingsCommandOutput> {
    this.imports.push(input);
    const count = input.Findings?.length ?? 0;
    return Promise.resolve({ $metadata: {}, SuccessCount: count, FailedCount: 0, FailedFindings: [] });
  }
}

export interface FakeRegionSetup {
  inventory: InventoryInstance[];
  /** What Run Command answers per instance (stdout: a captured probe record); timing fields default to "done at once". */
  run?: (instanceId: string) => InstanceScript;
  /** S3 objects by key (association outputs for collect). */
  objects?: Record<string, string>;
  accountId?: string;
}

export class FakeRegion {
  readonly clock = new VirtualClock();
  readonly ec2: FakeEc2;
  readonly agents: FakeSsmInventory;
  readonly stateManager = new FakeStateManager();
  readonly ssm: FleetSsm;
  readonly s3: FakeS3;
  readonly sts: FakeSts;
  readonly securityHub = new FakeSecurityHub();

  constructor(setup: FakeRegionSetup) {
    this.ec2 = new FakeEc2(setup.inventory);
    this.agents = new FakeSsmInventory(setup.inventory);
    const run = setup.run ?? (() => ({}));
    this.ssm = new FleetSsm(this.clock, (id) => ({ visibleAfterMs: 0, runMs: 0, ...run(id) }), this.agents, this.stateManager);
    this.s3 = new FakeS3(setup.objects ?? {});
    this.sts = new FakeSts(setup.accountId ?? '123456789012');
  }

  /** Run Command operations in call order (SendCommand, ListCommands, ...). */
  runCommandOps(): string[] {
    return this.ssm.calls.map((c) => c.op);
  }

  clients(region: string): AwsClients {
    return { ssm: this.ssm, ec2: this.ec2, s3: this.s3, sts: this.sts, securityHub: this.securityHub, region, credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } };
  }
}

/** Another account, reached by assuming its role: its regions, or the cause AssumeRole is refused with. */
export interface FakeRole {
  regions: Record<string, FakeRegion>;
  refusedWith?: string;
}

/**
 * CliContext.awsClients over fake regions (the credentials' own account) and
 * roles. `asked` keeps every factory call's settings; `assumed` each
 * AssumeRole made (a role's credentials resolved). Clients given a role's
 * credentials instead of its ARN (an account's other regions) are that
 * role's. A region or role with no fake is refused.
 */
export function fakeAwsFactory(regions: Record<string, FakeRegion>, roles: Record<string, FakeRole> = {}) {
  const asked: AwsClientOptions[] = [];
  const assumed: string[] = [];
  const roleOfCredentials = new Map<unknown, string>();
  const factory: AwsClientsFactory = (options) => {
    asked.push(options);
    const role = options.roleArn ?? roleOfCredentials.get(options.credentials);
    const table = role === undefined ? regions : roles[role]?.regions;
    if (table === undefined) throw new Error(`fake AWS has no role ${role}`);
    const region = options.region ?? '(none)';
    const fake = table[region];
    if (fake === undefined) throw new Error(`fake AWS has no region ${region} (regions: ${Object.keys(table).join(', ')})`);
    const clients = fake.clients(region);
    if (options.credentials !== undefined) return { ...clients, credentials: options.credentials };
    if (role === undefined) return clients;
    const credentials = () => {
      assumed.push(role);
      const refused = roles[role].refusedWith;
      if (refused !== undefined) return Promise.reject(Object.assign(new Error(refused), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
      return Promise.resolve({ accessKeyId: 'ASIAFAKE', secretAccessKey: 'fake', sessionToken: 'fake' });
    };
    roleOfCredentials.set(credentials, role);
    return { ...clients, credentials };
  };
  return { factory, asked, assumed };
}
