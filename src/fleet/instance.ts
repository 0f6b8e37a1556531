/** One EC2 instance found by discovery, joined with its SSM agent status. */
export interface FleetInstance {
  instanceId: string;
  name?: string;
  privateIp?: string;
  state: string;
  tags: Record<string, string>;
  securityGroups: { groupId: string; groupName?: string }[];
  agent: {
    managed: boolean;
    pingStatus?: string; // Online | ConnectionLost | Inactive
    platformType?: string; // Linux | Windows | MacOS
    agentVersion?: string;
  };
  /** True when the instance is running and its SSM agent is registered, Online and on Linux. */
  reachable: boolean;
  /** Why the instance cannot be audited, when it cannot. */
  unreachableReason?: string;
  /** The account and region it was discovered in (src/scope sets them on every audit run). */
  accountId?: string;
  region?: string;
}
