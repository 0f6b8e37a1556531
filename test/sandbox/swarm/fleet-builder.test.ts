import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildEnvFile, buildFleetFile } from '../../../packages/sandbox/src/swarm/fleet-builder.js';
import { computeLayout, instanceIdFor, longestSocketPath } from '../../../packages/sandbox/src/swarm/layout.js';
import { parseSandboxSpec } from '../../../packages/sandbox/src/swarm/spec.js';

const defaultSpec = parseSandboxSpec(JSON.parse(readFileSync(fileURLToPath(new URL('../../../packages/sandbox/src/specs/default.json', import.meta.url)), 'utf8')));
const layout = computeLayout(defaultSpec, '/tmp/swarm-audit-sandbox');
const fleet = buildFleetFile(defaultSpec, layout);
const byName = (name: string) => fleet.instances.find((i) => i.tags?.Name === name)!;

describe('computeLayout', () => {
  it('names links within 15 characters and gives nodes addresses from .11', () => {
    expect(layout.bridge).toEqual({ name: 'swa-br', address: '10.77.0.1', cidr: '10.77.0.0/24' });
    expect(layout.nodes.map((n) => [n.netns, n.hostLink, n.address]).slice(0, 2)).toEqual([
      ['swa-manager-1', 'swav0', '10.77.0.11'],
      ['swa-manager-2', 'swav1', '10.77.0.12'],
    ]);
    for (const n of layout.nodes) expect(n.hostLink.length).toBeLessThanOrEqual(15);
    expect(layout.nodes[0]).toMatchObject({
      socket: '/tmp/swarm-audit-sandbox/nodes/manager-1/docker.sock',
      logFile: '/tmp/swarm-audit-sandbox/nodes/manager-1/dockerd.log',
      cgroup: 'swa-manager-1',
      hostname: 'manager-1',
    });
    expect(longestSocketPath(layout.nodes[0]).length).toBeLessThan(108);
  });

  it('derives stable, distinct instance ids of the EC2 shape', () => {
    const ids = layout.nodes.map((n) => n.instanceId);
    for (const id of ids) expect(id).toMatch(/^i-0[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(instanceIdFor('swa', 'manager-1')).toBe(layout.nodes[0].instanceId);
    expect(instanceIdFor('swb', 'manager-1')).not.toBe(layout.nodes[0].instanceId);
  });
});

describe('buildFleetFile', () => {
  it('has one running instance per node with the node address and docker env', () => {
    expect(fleet.accountId).toBe('123456789012');
    expect(fleet.region).toBe('us-east-1');
    expect(fleet.instances).toHaveLength(9);
    expect(byName('manager-1')).toEqual({
      instanceId: layout.nodes[0].instanceId,
      tags: { Name: 'manager-1', Swarm: 'prod' },
      privateIpAddress: '10.77.0.11',
      state: 'running',
      agent: { pingStatus: 'Online', platform: 'Linux', agentVersion: expect.any(String), behaviour: 'online' },
      securityGroups: [expect.stringMatching(/^sg-0[0-9a-f]{16}$/)],
      exec: {
        netns: 'swa-manager-1',
        env: {
          DOCKER_HOST: 'unix:///tmp/swarm-audit-sandbox/nodes/manager-1/docker.sock',
          PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
          SWARM_AUDIT_DOCKERD_LOG: '/tmp/swarm-audit-sandbox/nodes/manager-1/dockerd.log',
        },
      },
    });
  });

  it('tags by cluster, leaves the untagged node without a Swarm tag, marks the offline agent', () => {
    expect(byName('staging-worker').tags).toEqual({ Name: 'staging-worker', Swarm: 'staging' });
    expect(byName('swarm-inactive').tags).toEqual({ Name: 'swarm-inactive', Swarm: 'prod' });
    expect(byName('docker-stopped').tags).toEqual({ Name: 'docker-stopped', Swarm: 'prod' });
    expect(byName('untagged').tags).toEqual({ Name: 'untagged' });
    expect(byName('agent-offline').agent).toMatchObject({ pingStatus: 'Online', behaviour: 'offline' });
  });

  it('gives each cluster a security group allowing ESP from itself, and others a default group', () => {
    const prodGroup = fleet.securityGroups!.find((g) => g.groupName === 'swa-prod-nodes')!;
    expect(byName('manager-1').securityGroups).toEqual([prodGroup.groupId]);
    expect(prodGroup.ingress).toContainEqual({ protocol: '50', sources: [prodGroup.groupId] });
    expect(prodGroup.ingress).toContainEqual({ protocol: 'udp', fromPort: 4789, toPort: 4789, sources: [prodGroup.groupId] });
    const defaultGroup = fleet.securityGroups!.find((g) => g.groupName === 'swa-default')!;
    expect(byName('untagged').securityGroups).toEqual([defaultGroup.groupId]);
    expect(fleet.securityGroups).toHaveLength(3);
  });

  it('withholds ESP when the spec says so, and maps lost and absent agents', () => {
    const spec = parseSandboxSpec({
      prefix: 'swb',
      subnet: '10.77.120.0/24',
      clusters: [{ name: 'c', espAllowed: false }],
      nodes: [
        { name: 'm', cluster: 'c', role: 'manager' },
        { name: 'lost', agent: 'lost' },
        { name: 'none', agent: 'none' },
      ],
    });
    const built = buildFleetFile(spec, computeLayout(spec, '/tmp/swb-x'));
    expect(built.securityGroups![0].ingress!.some((r) => r.protocol === '50')).toBe(false);
    expect(built.instances[1].agent).toMatchObject({ pingStatus: 'ConnectionLost' });
    expect(built.instances[2].agent).toBeUndefined();
    expect(built.instances[2].exec).toBeUndefined();
  });
});

describe('buildEnvFile', () => {
  it('points the AWS SDK and CLI at the endpoint with dummy credentials', () => {
    expect(buildEnvFile(defaultSpec, 'http://127.0.0.1:4566')).toBe(
      'AWS_ENDPOINT_URL=http://127.0.0.1:4566\nAWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=AKIDSANDBOX\nAWS_SECRET_ACCESS_KEY=sandbox\nAWS_EC2_METADATA_DISABLED=true\n',
    );
    expect(buildEnvFile(defaultSpec, undefined)).not.toContain('AWS_ENDPOINT_URL');
  });
});
