/**
 * The fleet file (public; documented in the README): the instances the local
 * AWS-compatible endpoint pretends to host, how each one runs commands, and
 * the faults to inject. Validation lives in fleet-file.ts.
 */
export interface FleetFile {
  /** The default account and region of the instances, and the account of the sandbox's own (non-temporary) access keys. */
  accountId: string;
  region: string;
  /**
   * The roles STS AssumeRole grants (any caller); any other role ARN is
   * refused with AccessDenied, as AWS refuses a role that does not trust the
   * caller. Absent: every well-formed role ARN can be assumed.
   */
  assumableRoles?: string[];
  faults?: FaultSpec;
  instances: FleetFileInstance[];
  securityGroups?: FleetFileSecurityGroup[];
  /** Sandbox-only knobs (not AWS behaviour); startEndpoint options override them. */
  limits?: EndpointLimits;
}

export interface EndpointLimits {
  /** Lowest SendCommand TimeoutSeconds accepted. AWS's minimum (30) by default; tests lower it. */
  minDeliveryTimeoutSeconds?: number;
  /** Child processes running at once across all instances; the rest wait in a queue. Default 16. */
  maxConcurrentProcesses?: number;
  /** State Manager: every association runs again this many ms after its last run, whatever its schedule (tests); absent: its rate. */
  associationIntervalMs?: number;
}

export interface FaultSpec {
  /** Seed of the deterministic random source behind every probabilistic fault. */
  seed?: number;
  /** Added latency per operation name ("SendCommand") or "default", in ms. */
  latencyMs?: Record<string, number>;
  /** Token buckets per operation: over the rate, SSM answers ThrottlingException and EC2 RequestLimitExceeded. */
  throttle?: Record<string, { ratePerSec: number; burst: number }>;
  /** Fraction (0..1) of requests per operation (or "default") answered with HTTP 500 InternalServerError. */
  serverErrorRate?: Record<string, number>;
  /** Fraction (0..1) of requests per operation (or "default") whose connection is reset without an answer. */
  connectionResetRate?: Record<string, number>;
  /** How long a new command's invocations stay invisible (InvocationDoesNotExist / empty list). Default 200 ms. */
  consistencyDelayMs?: number;
  /** Deterministic faults for chosen commands (not drawn from the PRNG); see CommandFault. */
  failCommands?: CommandFault[];
}

/** How a targeted SendCommand fails: an SSM error answer, or an accepted command whose invocations end Failed unrun. */
export type CommandFaultKind = 'Failed' | 'ThrottlingException' | 'InternalServerError';

/** Fails the SendCommands whose rendered commands contain `match`: the first `times` (default 1) of them, as `as`. */
export interface CommandFault {
  match: string;
  times?: number;
  as: CommandFaultKind;
}

export interface FleetFileInstance {
  instanceId: string;
  /** The account and region it lives in (default: the fleet's): only requests signed in that region by that account see it. */
  accountId?: string;
  region?: string;
  tags?: Record<string, string>;
  privateIpAddress?: string;
  /** pending | running | stopping | stopped | shutting-down | terminated. Default running. */
  state?: string;
  /** Absent: no SSM agent registered (not a managed instance). */
  agent?: {
    pingStatus: 'Online' | 'ConnectionLost' | 'Inactive';
    platform?: 'Linux' | 'Windows' | 'MacOS';
    agentVersion?: string;
    /** online (default) | offline: never picks up commands | slow: adds delayMs before running | crash: dies mid-command. */
    behaviour?: 'online' | 'offline' | 'slow' | 'crash';
    delayMs?: number;
  };
  securityGroups?: string[];
  /** Absent: the agent never answers (commands stay Pending until DeliveryTimedOut). */
  exec?: {
    /** Network namespace name (/var/run/netns/NAME) to run in; absent = host namespace. */
    netns?: string;
    env?: Record<string, string>;
    /** Answer every step with this result instead of running a process (fleet-scale benches). Excludes netns and env. */
    recorded?: RecordedResult;
    /** With `recorded`: each step takes a runtime drawn (seeded) from [min, max] ms. Default [0, 0]. */
    runtimeMs?: [number, number];
  };
}

/** What a recorded step reports, as if the process had printed it and exited with `code`. */
export interface RecordedResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface FleetFileSecurityGroup {
  groupId: string;
  groupName?: string;
  /** protocol: "tcp" | "udp" | "50" (ESP) | "-1" (all); sources: security group ids or CIDRs. */
  ingress?: { protocol: string; fromPort?: number; toPort?: number; sources: string[] }[];
}
