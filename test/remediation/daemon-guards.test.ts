/**
 * The generated scripts run under /bin/sh against a fake `docker` that can
 * refuse to connect (Docker's own "Cannot connect to the Docker daemon" text,
 * exit 1, the same exit as "no such network") for N calls or for good, with
 * a fake clock (`date`, `sleep`) so the 60 s daemon wait takes no time. The
 * fault matrix (network-migration / service-network-add / dockerd-restart)
 * shows the same against a real restarting dockerd.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAEMON_WAIT_SECONDS, networkSpecOf } from '../../src/remediation/builders/scripts.js';
import { networkCreateStep, networkRemoveStep, serviceNetworkAddStep } from '../../src/remediation/builders/network-steps.js';
import type { NetworkFacts } from '../../src/probe/facts.js';

/**
 * State files in $FAKE_DIR: down (calls left that cannot connect, or "always"), manager (what
 * `docker info` says of Swarm.ControlAvailable), leaderless (`docker node ls` calls left that find
 * no raft leader), networks, attached (service network-name lines), calls.
 */
const FAKE_DOCKER = `#!/bin/sh
d=$FAKE_DIR
echo "$*" >> "$d/calls"
down=$(cat "$d/down")
if [ "$down" = always ] || [ "$down" -gt 0 ]; then
  [ "$down" = always ] || echo $((down - 1)) > "$d/down"
  echo '[]'
  echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2
  exit 1
fi
case "$1 $2" in
  'version --format') echo 20.10.24 ;;
  'info --format') cat "$d/manager" ;;
  'node ls')
    leaderless=$(cat "$d/leaderless")
    if [ "$leaderless" -gt 0 ]; then
      echo $((leaderless - 1)) > "$d/leaderless"
      echo "Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online." >&2; exit 1
    fi ;;
  'network inspect')
    if ! grep -qx "$5" "$d/networks"; then echo '[]'; echo "Error: No such network: $5" >&2; exit 1; fi
    case $4 in *Options*) echo '{"encrypted":""}' ;; *) echo "id-$5" ;; esac ;;
  'network rm') grep -vx "$3" "$d/networks" > "$d/n.tmp" || true; mv "$d/n.tmp" "$d/networks" ;;
  'network create') for last; do :; done; echo "$last" >> "$d/networks" ;;
  'service inspect')
    grep -q "^$5 " "$d/attached" || { echo '[]'; echo "Error: no such service: $5" >&2; exit 1; }
    for n in $(grep "^$5 " "$d/attached" | cut -d' ' -f2); do printf 'id-%s ' "$n"; done; echo ;;
  'service update') echo "$*" >> "$d/updates" ;;
  *) echo "fake docker: unsupported $*" >&2; exit 2 ;;
esac
`;

/** Each call advances the clock 5 s, so the wait gives up after a dozen polls. */
const FAKE_DATE = `#!/bin/sh
t=$(cat "$FAKE_DIR/clock"); echo $((t + 5)) > "$FAKE_DIR/clock"; echo "$t"
`;

const plain: NetworkFacts = {
  id: 'abc', name: 'plain', driver: 'overlay', scope: 'swarm', ingress: false, internal: false, attachable: false,
  options: {}, labels: {}, ipam: { driver: 'default', options: {}, config: [{ subnet: '10.77.202.32/28', gateway: '10.77.202.33' }] },
};

describe('daemon checks and guards of the generated scripts', () => {
  let dir: string;
  const state = (file: string) => readFileSync(join(dir, file), 'utf8');
  const setup = (o: { down: number | 'always'; leaderless?: number; networks?: string[]; attached?: string[] }) => {
    writeFileSync(join(dir, 'down'), String(o.down));
    writeFileSync(join(dir, 'manager'), 'true');
    writeFileSync(join(dir, 'leaderless'), String(o.leaderless ?? 0));
    writeFileSync(join(dir, 'networks'), (o.networks ?? []).map((n) => `${n}\n`).join(''));
    writeFileSync(join(dir, 'attached'), (o.attached ?? []).map((n) => `${n}\n`).join(''));
    writeFileSync(join(dir, 'calls'), '');
    writeFileSync(join(dir, 'updates'), '');
    writeFileSync(join(dir, 'clock'), '1000');
  };
  const run = (script: string) => {
    const out = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: `${dir}/bin:/usr/bin:/bin`, FAKE_DIR: dir } });
    return { code: out.status, stderr: out.stderr };
  };
  const createUndo = networkCreateStep({ network: { ...networkSpecOf(plain), name: 'plain-enc', encrypted: true }, replaces: 'plain' }, 'i-1').inverse!.script;
  const addUndo = serviceNetworkAddStep({ service: 'web', network: 'plain-enc', attachment: { aliases: [], driverOpts: {} }, singleReplica: false }, 'i-1').inverse!.script;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'daemon-guards-'));
    spawnSync('mkdir', [join(dir, 'bin')]);
    for (const [name, text] of [['docker', FAKE_DOCKER], ['date', FAKE_DATE], ['sleep', '#!/bin/sh\n']] as const) {
      writeFileSync(join(dir, 'bin', name), text);
      chmodSync(join(dir, 'bin', name), 0o755);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('an undo against a daemon that stays down fails with the reason, and never reads it as "absent"', () => {
    setup({ down: 'always', networks: ['plain-enc'] });
    const out = run(createUndo);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(`docker daemon not reachable after ${DAEMON_WAIT_SECONDS} s: Cannot connect to the Docker daemon`);
    expect(state('calls')).not.toContain('network');
    expect(state('networks')).toBe('plain-enc\n');
  });

  test('an undo waits for a restarting daemon, then undoes', () => {
    setup({ down: 4, networks: ['plain', 'plain-enc'] });
    const out = run(createUndo);
    expect(out).toEqual({ code: 0, stderr: '' });
    expect(state('calls').split('\n').filter((l) => l.startsWith('version')).length).toBe(5);
    expect(state('networks')).toBe('plain\n');
  });

  test('on a manager, the wait lasts until the swarm has a leader again (the other half of a restart)', () => {
    setup({ down: 1, leaderless: 3, networks: ['plain', 'plain-enc'] });
    expect(run(createUndo)).toEqual({ code: 0, stderr: '' });
    expect(state('calls').split('\n').filter((l) => l.startsWith('node ls')).length).toBe(4);
    expect(state('networks')).toBe('plain\n');
    setup({ down: 0, leaderless: 1000, networks: ['plain-enc'] });
    const out = run(createUndo);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(`swarm manager not answering after ${DAEMON_WAIT_SECONDS} s: Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader`);
    expect(state('networks')).toBe('plain-enc\n');
  });

  test('on a worker (no swarm control), the daemon answering is enough', () => {
    setup({ down: 2, leaderless: 1000, networks: ['plain-enc'] });
    writeFileSync(join(dir, 'manager'), 'false');
    expect(run(createUndo)).toEqual({ code: 0, stderr: '' });
    expect(state('calls')).not.toContain('node ls');
  });

  test('with the daemon up, an absent object is absent: the undo has nothing to do and exits 0', () => {
    setup({ down: 0, networks: ['plain'] });
    expect(run(createUndo)).toEqual({ code: 0, stderr: '' });
    expect(state('calls')).not.toContain('network rm');
    // the service's undo: network absent, so the service cannot be attached to it
    setup({ down: 0, networks: ['plain'], attached: ['web plain'] });
    expect(run(addUndo)).toEqual({ code: 0, stderr: '' });
    expect(state('updates')).toBe('');
  });

  test('with the daemon up, the guards see what exists: the service is detached', () => {
    setup({ down: 0, networks: ['plain', 'plain-enc'], attached: ['web plain', 'web plain-enc'] });
    expect(run(addUndo)).toEqual({ code: 0, stderr: '' });
    expect(state('updates')).toContain("--network-rm plain-enc web");
  });

  /** The daemon answers the wait, then goes away before the guard: the 'version' call succeeds, the inspect does not. */
  test.each([
    ['network-create undo', () => createUndo, 'docker network inspect plain-enc failed: [] Cannot connect'],
    ['service-network-add undo', () => addUndo, 'docker network inspect plain-enc failed: [] Cannot connect'],
    ['network-remove undo (recreate when absent)', () => networkRemoveStep({ network: networkSpecOf(plain), movedTo: 'plain-enc' }, 'i-1').inverse!.script, 'docker network inspect plain failed'],
    ['network-remove precondition (no service attached)', () => networkRemoveStep({ network: networkSpecOf(plain), movedTo: 'plain-enc' }, 'i-1').precondition.script, 'docker service ls -q failed'],
  ])('a daemon error after the wait ends the %s with the error instead of reading it as absent', (_name, script, message) => {
    setup({ down: 0, networks: ['plain', 'plain-enc'], attached: ['web plain-enc'] });
    // the wait's `docker version` is answered; from the next call on the daemon is down
    const text = script();
    const afterWait = text.includes('docker_list service ls -q') ? text.replace('docker_list service ls -q', 'echo always > "$FAKE_DIR/down"; docker_list service ls -q') : text.replace(/\ndone\n/, '\ndone\necho always > "$FAKE_DIR/down"\n');
    const out = run(afterWait);
    expect(out.code).not.toBe(0);
    expect(out.stderr.replace(/\n/g, ' ')).toContain(message);
    expect(state('updates')).toBe('');
    expect(state('calls')).not.toMatch(/network (rm|create)/);
  });
});
