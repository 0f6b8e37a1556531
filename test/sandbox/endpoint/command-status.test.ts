import { summarize, type CommandRecord } from '../../../packages/sandbox/src/endpoint/ssm/command.js';
import { endUnrun, newInvocation, settle, type Invocation, type InvocationStatus } from '../../../packages/sandbox/src/endpoint/ssm/invocation.js';

function command(invocations: Invocation[], maxErrors = '0'): CommandRecord {
  return {
    commandId: '00000000-0000-0000-0000-000000000000',
    documentName: 'AWS-RunShellScript',
    documentVersion: '$DEFAULT',
    comment: '',
    parameters: {},
    instanceIds: [],
    targets: [],
    requestedAt: 0,
    visibleAt: 0,
    timeoutSeconds: 30,
    maxConcurrency: '50',
    maxErrors,
    outputS3Region: 'us-east-1',
    outputS3BucketName: '',
    outputS3KeyPrefix: '',
    invocations: new Map(invocations.map((i) => [i.instanceId, i])),
  };
}

function inv(id: string, status: InvocationStatus, details: string = status): Invocation {
  const i = newInvocation(id, ['aws:runShellScript']);
  i.status = status;
  i.statusDetails = details;
  return i;
}

describe('delivery timeout (settle)', () => {
  it('keeps an undelivered invocation Pending until the deadline, then TimedOut/DeliveryTimedOut with -1', () => {
    const i = newInvocation('i-00000001', ['aws:runShellScript']);
    i.deliveryDeadline = 30_000;
    settle(i, 29_999);
    expect([i.status, i.statusDetails]).toEqual(['Pending', 'Pending']);
    settle(i, 30_000);
    expect([i.status, i.statusDetails, i.plugins[0].responseCode]).toEqual(['TimedOut', 'DeliveryTimedOut', -1]);
    expect(i.plugins[0].statusDetails).toBe('DeliveryTimedOut');
  });

  it('does not time out an invocation that already ended', () => {
    const i = newInvocation('i-00000001', ['p']);
    i.deliveryDeadline = 10;
    endUnrun(i, 'Cancelled', 'Cancelled');
    settle(i, 100);
    expect(i.status).toBe('Cancelled');
  });
});

describe('summarize (command status)', () => {
  it.each<[string, Invocation[], string, string, string]>([
    ['all pending', [inv('a', 'Pending'), inv('b', 'Pending')], 'Pending', 'Pending', '0'],
    ['one running', [inv('a', 'InProgress'), inv('b', 'Success')], 'InProgress', 'InProgress', '0'],
    ['all success', [inv('a', 'Success'), inv('b', 'Success')], 'Success', 'Success', '0'],
    ['one failure over MaxErrors 0', [inv('a', 'Success'), inv('b', 'Failed')], 'Failed', 'Failed', '0'],
    ['one failure within MaxErrors 1', [inv('a', 'Success'), inv('b', 'Failed')], 'Failed', 'Incomplete', '1'],
    ['execution timeout counts as an error', [inv('a', 'TimedOut', 'ExecutionTimedOut')], 'Failed', 'Failed', '0'],
    ['delivery timeouts', [inv('a', 'Success'), inv('b', 'TimedOut', 'DeliveryTimedOut')], 'TimedOut', 'Delivery Timed Out', '0'],
    ['undeliverable does not count as an error', [inv('a', 'Success'), inv('b', 'Failed', 'Undeliverable')], 'Failed', 'Incomplete', '0'],
    ['all cancelled', [inv('a', 'Cancelled'), inv('b', 'Cancelled')], 'Cancelled', 'Cancelled', '0'],
    ['percent MaxErrors', [inv('a', 'Failed'), inv('b', 'Success'), inv('c', 'Success'), inv('d', 'Success')], 'Failed', 'Incomplete', '25%'],
  ])('%s', (_name, invocations, status, details, maxErrors) => {
    const summary = summarize(command(invocations, maxErrors), 0);
    expect([summary.status, summary.statusDetails]).toEqual([status, details]);
    expect(summary.targetCount).toBe(invocations.length);
  });

  it('counts completed, errors and delivery timeouts', () => {
    const s = summarize(command([inv('a', 'Failed'), inv('b', 'TimedOut', 'DeliveryTimedOut'), inv('c', 'InProgress')]), 0);
    expect(s).toMatchObject({ completedCount: 2, errorCount: 1, deliveryTimedOutCount: 1, status: 'InProgress' });
  });
});
