import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.js';
import { loadFleetFile, parseFleetFile } from '../../packages/sandbox/src/fleet-file.js';

const valid = () => ({
  accountId: '123456789012',
  region: 'us-east-1',
  faults: {
    seed: 7,
    throttle: { SendCommand: { ratePerSec: 5, burst: 10 } },
    consistencyDelayMs: 50,
    failCommands: [{ match: 'docker network rm', as: 'Failed' }, { match: 'swarm join', times: 2, as: 'ThrottlingException' }],
  },
  securityGroups: [{ groupId: 'sg-0123456789abcdef0', ingress: [{ protocol: 'tcp', fromPort: 2377, toPort: 2377, sources: ['sg-0123456789abcdef0'] }] }],
  instances: [
    { instanceId: 'i-0123456789abcdef0', tags: { Swarm: 'prod' }, agent: { pingStatus: 'Online' }, exec: { netns: 'sa-n1' } },
    { instanceId: 'i-0123456789abcdef1', securityGroups: ['sg-0123456789abcdef0'] },
    { instanceId: 'i-0123456789abcdef2', agent: { pingStatus: 'Online', behaviour: 'slow', delayMs: 10 }, exec: { env: { A: 'b' } } },
  ],
});

function errorOf(json: unknown): UsageError {
  try {
    parseFleetFile(json);
  } catch (err) {
    return err as UsageError;
  }
  throw new Error('expected the fleet file to be rejected');
}

describe('parseFleetFile', () => {
  it('accepts a complete, valid file unchanged', () => {
    expect(parseFleetFile(valid())).toEqual(valid());
  });

  it.each([
    ['an unknown nested field', (f: any) => (f.instances[2].exec.netnss = 'x'), 'instances[2].exec.netnss: unknown field'],
    ['an unknown top-level field', (f: any) => (f.instancez = []), 'instancez: unknown field'],
    ['a wrong type', (f: any) => (f.instances[0].tags.Swarm = 3), 'instances[0].tags.Swarm: must be a string'],
    ['a bad instance id', (f: any) => (f.instances[1].instanceId = 'i-xyz'), 'instances[1].instanceId'],
    ['a bad ping status', (f: any) => (f.instances[0].agent.pingStatus = 'online'), 'instances[0].agent.pingStatus: must be one of'],
    ['a missing pingStatus', (f: any) => delete f.instances[0].agent.pingStatus, 'instances[0].agent.pingStatus: is required'],
    ['a netns with a slash', (f: any) => (f.instances[0].exec.netns = '../etc'), 'instances[0].exec.netns'],
    ['an unknown fault operation', (f: any) => (f.faults.throttle.SendCommandz = { ratePerSec: 1, burst: 1 }), 'faults.throttle.SendCommandz: unknown operation'],
    ['a rate above 1', (f: any) => (f.faults.serverErrorRate = { default: 1.5 }), 'faults.serverErrorRate.default: must be between 0 and 1'],
    ['a duplicate instance', (f: any) => (f.instances[1].instanceId = 'i-0123456789abcdef0'), 'instances[1].instanceId: duplicate'],
    ['an undeclared security group', (f: any) => (f.instances[1].securityGroups = ['sg-0123456789abcdef9']), 'instances[1].securityGroups[0]'],
    ['a tcp rule without ports', (f: any) => delete f.securityGroups[0].ingress[0].toPort, 'securityGroups[0].ingress[0]: tcp and udp rules need'],
    ['an account id of 11 digits', (f: any) => (f.accountId = '12345678901'), 'accountId'],
    ['instances not an array', (f: any) => (f.instances = {}), 'instances: must be an array'],
    ['a command fault of an unknown kind', (f: any) => (f.faults.failCommands = [{ match: 'x', as: 'Timeout' }]), 'faults.failCommands[0].as: must be one of Failed, ThrottlingException, InternalServerError'],
    ['a command fault matching everything', (f: any) => (f.faults.failCommands = [{ match: ' ', as: 'Failed' }]), 'faults.failCommands[0].match: must not be blank'],
    ['a command fault without match', (f: any) => (f.faults.failCommands = [{ as: 'Failed' }]), 'faults.failCommands[0].match: is required'],
    ['a command fault failing 0 times', (f: any) => (f.faults.failCommands = [{ match: 'x', as: 'Failed', times: 0 }]), 'faults.failCommands[0].times: must be between 1'],
    ['a command fault with a typo', (f: any) => (f.faults.failCommands = [{ match: 'x', as: 'Failed', time: 2 }]), 'faults.failCommands[0].time: unknown field'],
  ])('rejects %s naming the path', (_name, mutate, expected) => {
    const fleet = valid();
    mutate(fleet);
    const error = errorOf(fleet);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('FleetFileInvalid');
    expect(error.message).toContain(expected);
  });

  it('rejects a non-object document', () => {
    expect(errorOf([]).message).toContain('must be an object');
    expect(errorOf(null).code).toBe('FleetFileInvalid');
  });
});

describe('loadFleetFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sa-fleetfile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates a file', async () => {
    await writeFile(join(dir, 'ok.json'), JSON.stringify(valid()));
    expect((await loadFleetFile(join(dir, 'ok.json'))).instances).toHaveLength(3);
  });

  it('turns truncated JSON and a missing file into FleetFileInvalid', async () => {
    await writeFile(join(dir, 'cut.json'), JSON.stringify(valid()).slice(0, 40));
    await expect(loadFleetFile(join(dir, 'cut.json'))).rejects.toMatchObject({ code: 'FleetFileInvalid' });
    await expect(loadFleetFile(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'FleetFileInvalid' });
  });
});
