/**
 * A hand-written SSM Run Command that behaves like the real service on the
 * points the runner depends on: invocations invisible for a while after
 * SendCommand, statuses over (virtual) time, the agent's output truncation,
 * pagination, validation limits, throttling, cancel, hung calls.
 */
import type {
  CancelCommandCommandInput,
  Command,
  CommandInvocation,
  DescribeInstanceInformationCommandOutput,
  GetCommandInvocationCommandInput,
  GetCommandInvocationCommandOutput,
  ListCommandInvocationsCommandInput,
  ListCommandInvocationsCommandOutput,
  ListCommandsCommandInput,
  ListCommandsCommandOutput,
  SendCommandCommandInput,
  SendCommandCommandOutput,
} from '@aws-sdk/client-ssm';
import type { SsmApi } from '../../../src/aws/ssm-api.js';
import type { VirtualClock } from './virtual-clock.js';
import { ssmError, throttled } from './aws-errors.js';

export interface InstanceScript {
  /** Eventual consistency: invisible to List and Get this long after SendCommand (default 200). */
  visibleAfterMs?: number;
  /** Time from SendCommand to the final status (default 1,000); Infinity: never finishes. */
  runMs?: number;
  waitingStatus?: 'Pending' | 'InProgress' | 'Delayed';
  final?: { status: string; details?: string; exitCode?: number; noPlugin?: boolean };
  stdout?: string;
  stderr?: string;
  /** SSM never lists this instance at all. */
  neverListed?: boolean;
  /** After CancelCommand: Cancelled 500 ms later (default) or Cancelling forever. */
  stuckCancelling?: boolean;
  /** GetCommandInvocation answers InvocationDoesNotExist this many times even once visible. */
  getNotExistTimes?: number;
}

type Op = 'SendCommand' | 'ListCommands' | 'ListCommandInvocations' | 'GetCommandInvocation' | 'CancelCommand';

interface FakeCommand {
  commandId: string;
  sentAt: number;
  instanceIds: string[];
  cancelledAt: Map<string, number>;
  getCalls: Map<string, number>;
}

const ERROR_TITLE = '\n----------ERROR-------\n';
const OUT_CUT = '\n---Output truncated---';
const ERR_CUT = '\n---Error truncated----';

/** The agent's TruncateOutput (amazon-ssm-agent iohandler), re-stated for the fake. */
export function agentPluginOutput(stdout: string, stderr: string, capacity = 2500): string {
  const title = stderr.length > 0 ? ERROR_TITLE : '';
  const available = capacity - title.length;
  if (stdout.length + stderr.length < available) return stdout + title + stderr;
  if (stdout.length > available / 2 && stderr.length > available / 2) {
    const size = available - ERR_CUT.length - OUT_CUT.length;
    return stdout.slice(0, size / 2) + OUT_CUT + title + stderr.slice(0, size / 2) + ERR_CUT;
  }
  if (stdout.length < available / 2) {
    const size = available - ERR_CUT.length;
    return stdout + title + stderr.slice(0, size - stdout.length) + ERR_CUT;
  }
  const size = available - OUT_CUT.length;
  return stdout.slice(0, size - stderr.length) + OUT_CUT + title + stderr;
}

function getContent(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) + '--output truncated--' : text;
}

export class FakeSsm implements SsmApi {
  readonly calls: { op: Op; input: unknown; at: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Calls of an op still to answer with ThrottlingException. */
  readonly throttleNext = new Map<Op, number>();
  /** Decide a SendCommand failure from its input. */
  failSend?: (input: SendCommandCommandInput) => Error | undefined;
  failList?: (input: ListCommandInvocationsCommandInput) => Error | undefined;
  failListCommands?: (input: ListCommandsCommandInput) => Error | undefined;
  /** SendCommand answers without RequestedDateTime (the runner must fall back to its own clock). */
  omitRequestedDateTime = false;
  /** Ops that never answer (and ignore abort signals). */
  readonly hang = new Set<Op>();
  /** Token bucket per op in virtual time; over the rate: ThrottlingException. */
  rateLimit?: Partial<Record<Op, { perSecond: number; burst: number }>>;
  /** AWS may return fewer items than MaxResults, with a NextToken. */
  listPageCap = 50;
  private readonly buckets = new Map<Op, { tokens: number; at: number }>();
  private readonly commands = new Map<string, FakeCommand>();
  private nextId = 1;

  constructor(
    private readonly clock: VirtualClock,
    private readonly script: (instanceId: string) => InstanceScript = () => ({}),
    private readonly latencyMs = 20,
  ) {}

  callsOf(op: Op) {
    return this.calls.filter((c) => c.op === op);
  }

  async sendCommand(input: SendCommandCommandInput): Promise<SendCommandCommandOutput> {
    await this.enter('SendCommand', input);
    try {
      const ids = input.InstanceIds ?? [];
      if (ids.length < 1 || ids.length > 50) throw ssmError('ValidationException', 400, 'InstanceIds: 1 to 50 items');
      const failure = this.failSend?.(input);
      if (failure) throw failure;
      const commandId = `cmd-${String(this.nextId++).padStart(4, '0')}`;
      this.commands.set(commandId, {
        commandId,
        sentAt: this.clock.now(),
        instanceIds: [...ids],
        cancelledAt: new Map(),
        getCalls: new Map(),
      });
      const requested = this.omitRequestedDateTime ? {} : { RequestedDateTime: new Date(this.clock.now()) };
      return { $metadata: {}, Command: { CommandId: commandId, Status: 'Pending', InstanceIds: [...ids], ...requested } };
    } finally {
      this.leave();
    }
  }

  async listCommandInvocations(input: ListCommandInvocationsCommandInput): Promise<ListCommandInvocationsCommandOutput> {
    await this.enter('ListCommandInvocations', input);
    try {
      const max = input.MaxResults ?? 50;
      if (max < 1 || max > 50) throw ssmError('ValidationException', 400, 'MaxResults: 1 to 50');
      const failure = this.failList?.(input);
      if (failure) throw failure;
      const command = this.commands.get(input.CommandId ?? '');
      if (!command) throw ssmError('InvalidCommandId');
      const visible = command.instanceIds
        .filter((id) => this.isVisible(command, id))
        .sort()
        .map((id) => this.invocation(command, id, input.Details === true));
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const size = Math.min(max, this.listPageCap);
      const page = visible.slice(start, start + size);
      const next = start + size < visible.length ? String(start + size) : undefined;
      return { $metadata: {}, CommandInvocations: page, ...(next ? { NextToken: next } : {}) };
    } finally {
      this.leave();
    }
  }

  /** Newest first, 50 a page at most; InvokedAfter / DocumentName filters; counts as the service keeps them. */
  async listCommands(input: ListCommandsCommandInput): Promise<ListCommandsCommandOutput> {
    await this.enter('ListCommands', input);
    try {
      const max = input.MaxResults ?? 50;
      if (max < 1 || max > 50) throw ssmError('ValidationException', 400, 'MaxResults: 1 to 50');
      if (input.CommandId !== undefined && input.Filters !== undefined) throw ssmError('ValidationException');
      const failure = this.failListCommands?.(input);
      if (failure) throw failure;
      const after = input.Filters?.find((f) => f.key === 'InvokedAfter');
      const document = input.Filters?.find((f) => f.key === 'DocumentName');
      const listed = [...this.commands.values()]
        .reverse()
        .filter((c) => input.CommandId === undefined || c.commandId === input.CommandId)
        .filter((c) => after === undefined || c.sentAt >= Date.parse(after.value!))
        .filter(() => document === undefined || document.value === 'AWS-RunShellScript')
        .map((c) => this.commandShape(c));
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const size = Math.min(max, this.listPageCap);
      const next = start + size < listed.length ? String(start + size) : undefined;
      return { $metadata: {}, Commands: listed.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
    } finally {
      this.leave();
    }
  }

  async getCommandInvocation(input: GetCommandInvocationCommandInput): Promise<GetCommandInvocationCommandOutput> {
    await this.enter('GetCommandInvocation', input);
    try {
      const command = this.commands.get(input.CommandId ?? '');
      const id = input.InstanceId ?? '';
      if (!command || !command.instanceIds.includes(id) || !this.isVisible(command, id)) throw ssmError('InvocationDoesNotExist');
      const calls = (command.getCalls.get(id) ?? 0) + 1;
      command.getCalls.set(id, calls);
      if (calls <= (this.script(id).getNotExistTimes ?? 0)) throw ssmError('InvocationDoesNotExist');
      const inv = this.invocation(command, id, true);
      const plugin = inv.CommandPlugins?.[0];
      const done = this.isFinal(command, id);
      const s = this.script(id);
      return {
        $metadata: {},
        CommandId: command.commandId,
        InstanceId: id,
        PluginName: plugin?.Name,
        Status: inv.Status,
        StatusDetails: inv.StatusDetails,
        ResponseCode: plugin?.ResponseCode ?? -1,
        StandardOutputContent: done ? getContent(s.stdout ?? '', 24_000) : '',
        StandardErrorContent: done ? getContent(s.stderr ?? '', 8_000) : '',
      };
    } finally {
      this.leave();
    }
  }

  async cancelCommand(input: CancelCommandCommandInput): Promise<void> {
    await this.enter('CancelCommand', input);
    try {
      const command = this.commands.get(input.CommandId ?? '');
      if (!command) throw ssmError('InvalidCommandId');
      for (const id of input.InstanceIds ?? command.instanceIds) {
        if (!this.isFinal(command, id) && !command.cancelledAt.has(id)) command.cancelledAt.set(id, this.clock.now());
      }
    } finally {
      this.leave();
    }
  }

  async describeInstanceInformation(): Promise<DescribeInstanceInformationCommandOutput> {
    throw new Error('not used by the runner');
  }

  async putComplianceItems(): Promise<void> {
    throw new Error('not used by the runner');
  }

  // ---- internals ----

  private async enter(op: Op, input: unknown): Promise<void> {
    this.calls.push({ op, input, at: this.clock.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.hang.has(op)) await new Promise<never>(() => {});
    await this.clock.sleep(this.latencyMs);
    const left = this.throttleNext.get(op) ?? 0;
    if (left > 0) {
      this.throttleNext.set(op, left - 1);
      this.leave();
      throw throttled();
    }
    if (!this.takeToken(op)) {
      this.leave();
      throw throttled();
    }
  }

  private leave(): void {
    this.inFlight--;
  }

  private takeToken(op: Op): boolean {
    const rule = this.rateLimit?.[op];
    if (!rule) return true;
    const now = this.clock.now();
    const bucket = this.buckets.get(op) ?? { tokens: rule.burst, at: now };
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.at) / 1000) * rule.perSecond);
    bucket.at = now;
    this.buckets.set(op, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Status and counts as the service aggregates them; invisible invocations still count (the service knows them). */
  private commandShape(command: FakeCommand): Command {
    const statuses = command.instanceIds.map((id) => this.invocation(command, id, false).Status as string);
    const final = statuses.filter((s) => ['Success', 'Failed', 'Cancelled', 'TimedOut'].includes(s)).length;
    let status = 'InProgress';
    if (statuses.includes('Cancelling')) status = 'Cancelling';
    else if (final === statuses.length) status = statuses.every((s) => s === 'Success') ? 'Success' : 'Failed';
    return {
      CommandId: command.commandId,
      DocumentName: 'AWS-RunShellScript',
      RequestedDateTime: new Date(command.sentAt),
      Status: status as 'InProgress',
      TargetCount: statuses.length,
      CompletedCount: final,
      ErrorCount: statuses.filter((s) => s === 'Failed').length,
    };
  }

  private isVisible(command: FakeCommand, id: string): boolean {
    const s = this.script(id);
    return !s.neverListed && this.clock.now() >= command.sentAt + (s.visibleAfterMs ?? 200);
  }

  private isFinal(command: FakeCommand, id: string): boolean {
    const runMs = this.script(id).runMs ?? 1000;
    const cancelled = command.cancelledAt.get(id);
    const endsAt = command.sentAt + runMs;
    return this.clock.now() >= endsAt && (cancelled === undefined || cancelled >= endsAt);
  }

  private invocation(command: FakeCommand, id: string, details: boolean): CommandInvocation {
    const s = this.script(id);
    const now = this.clock.now();
    let status: string;
    let statusDetails: string;
    let ran = false;
    const cancelledAt = command.cancelledAt.get(id);
    if (this.isFinal(command, id)) {
      status = s.final?.status ?? 'Success';
      statusDetails = s.final?.details ?? status;
      ran = status === 'Success' || status === 'Failed' || statusDetails === 'ExecutionTimedOut';
    } else if (cancelledAt !== undefined) {
      const cancelled = !s.stuckCancelling && now >= cancelledAt + 500;
      status = cancelled ? 'Cancelled' : 'Cancelling';
      statusDetails = status;
    } else {
      status = s.waitingStatus ?? 'InProgress';
      statusDetails = status;
    }
    const plugin = {
      Name: 'aws:runShellScript',
      Status: status as 'Success',
      StatusDetails: statusDetails,
      ResponseCode: ran ? (s.final?.exitCode ?? (status === 'Success' ? 0 : 1)) : -1,
      Output: ran ? agentPluginOutput(s.stdout ?? '', s.stderr ?? '') : '',
    };
    return {
      CommandId: command.commandId,
      InstanceId: id,
      DocumentName: 'AWS-RunShellScript',
      Status: status as 'Success',
      StatusDetails: statusDetails,
      ...(details ? { CommandPlugins: s.final?.noPlugin && ran ? [] : [plugin] } : {}),
    };
  }
}
