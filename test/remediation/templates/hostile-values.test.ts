/**
 * Values reach a template only as single-quoted assignments: whatever they
 * hold (spaces, quotes, $(...), backquotes, globs, ;) docker receives each as
 * one literal argument and nothing of it runs. Control characters (newlines)
 * are refused before any script exists. The builders refuse such names even
 * earlier (quote.ts validators); these tests call script() directly to show
 * the templates would be safe without them.
 */
import { networkCreateStep, serviceNetworkAddStep } from '../../../src/remediation/builders/network-steps.js';
import { HEADER, script } from '../../../src/remediation/builders/scripts.js';
import { runScript, stepCalls } from './fake-docker.js';

const HOSTILE = [
  'web $(touch pwned-subst) x',
  'a`touch pwned-backquote`b',
  "it's \"quoted\" \\ back",
  '; touch pwned-semicolon',
  '* ? [a-z] ~',
  '$HOME ${PATH} $1',
  '-- --help',
];

describe('hostile values in templates', () => {
  test.each(HOSTILE)('%j reaches docker as one literal argument and runs nothing', (value) => {
    const run = runScript(script('network-steps.service-detach', { SERVICE: value, NETWORK: value }), [
      { args: ['network', 'inspect'], stdout: 'N1\n' },
      { args: ['service', 'inspect'], stdout: 'N1\n' },
    ]);
    expect(run.code).toBe(0);
    expect(stepCalls(run)).toEqual([
      ['network', 'inspect', '--format', '{{.Id}}', value],
      ['service', 'inspect', '--format', '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}', value],
      ['service', 'update', '--quiet', '--network-rm', value, value],
    ]);
    expect(run.created).toEqual([]);
  });

  test('each element of a list stays one argument (network labels)', () => {
    const params = {
      NETWORK: 'n', NETWORK_INGRESS: false, NETWORK_ENCRYPTED: true, NETWORK_OPTIONS: [], NETWORK_LABELS: HOSTILE.map((v) => `k=${v}`),
      NETWORK_ATTACHABLE: false, NETWORK_INTERNAL: false, NETWORK_IPAM_DRIVER: '', NETWORK_IPAM_OPTIONS: [], NETWORK_SUBNET: '', NETWORK_GATEWAY: '', NETWORK_IP_RANGE: '',
    };
    // a file the label "k=* ? [a-z] ~" would match as a glob: the list is split unquoted, so only set -f keeps it literal
    const bait = 'k=1 x a ~';
    const run = runScript(script('network-steps.network-create', params), [{ args: ['network', 'inspect'], code: 1, stderr: 'Error: No such network: n\n' }], { files: [bait] });
    expect(run.code).toBe(0);
    expect(stepCalls(run).at(-1)).toEqual(['network', 'create', '--driver', 'overlay', '--opt', 'encrypted', ...HOSTILE.flatMap((v) => ['--label', `k=${v}`]), 'n']);
    expect(run.created).toEqual([bait]);
  });

  test('a newline or other control character is refused before any script exists', () => {
    for (const value of ['a\nb', 'a\rb', 'a\u001bb', 'a\u0000b']) {
      expect(() => script('network-steps.service-detach', { SERVICE: value, NETWORK: 'n' })).toThrow(expect.objectContaining({ code: 'UnsafeValue' }));
      expect(() => script('port-steps.ports-publish', { SERVICE: 's', PORTS: ['tcp 80 80 host', value] })).toThrow(expect.objectContaining({ code: 'UnsafeValue' }));
    }
  });

  test('a label value with a newline is refused naming the label', () => {
    const spec = { name: 'n', encrypted: false, ingress: false, internal: false, attachable: false, options: {}, labels: { 'com.example.x': 'a\nb' }, ipamDriver: 'default', ipamOptions: {} };
    expect(() => networkCreateStep({ network: spec, replaces: 'old' }, 'i-0000000000000a001')).toThrow(/label com\.example\.x contains a control character/);
  });

  test('the builders refuse a hostile name before it reaches a template', () => {
    const attachment = { aliases: [], driverOpts: {} };
    for (const service of ['web $(id)', "a'b", 'a b', '-x']) {
      expect(() => serviceNetworkAddStep({ service, network: 'n', attachment, singleReplica: false }, 'i-0000000000000a001')).toThrow(expect.objectContaining({ code: 'UnsafeValue' }));
    }
  });

  test('a parameter the template does not read, or one it reads but was not given, is a programming error', () => {
    expect(() => script('network-steps.service-detach', { SERVICE: 's', NETWORK: 'n', NETWROK: 'n' })).toThrow(/parameters not read: NETWROK/);
    expect(() => script('network-steps.service-detach', { SERVICE: 's' })).toThrow(/parameters not passed: NETWORK/);
  });

  test('values never enter the preamble or a template body: only the assignments between them', () => {
    const text = script('network-steps.service-detach', { SERVICE: 'svc-marker', NETWORK: 'net-marker' });
    expect(text.startsWith(`${HEADER}\n# network-steps.service-detach.sh\nSERVICE='svc-marker'\nNETWORK='net-marker'\nif service_attached "$SERVICE" "$NETWORK"; then\n`)).toBe(true);
    expect(text.split('svc-marker')).toHaveLength(2);
  });
});
