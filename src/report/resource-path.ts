import type { Finding } from '../checks/types.js';
import type { ReportedCheck } from '../engine/report-model.js';
import { identifyingNode } from './fingerprint.js';

/**
 * A stable relative pseudo-path for the resource of a finding, for readers
 * that need a file location (SARIF physicalLocation): the same parts as the
 * finding identity, each segment percent-encoded.
 *
 *   swarm/<cluster>/<type>/<id>                  cluster-scoped (service, network, port)
 *   swarm/<cluster>/node/<instance>/<type>/<id>  node-scoped (listener)
 *   swarm/<cluster>/node/<instance>              the node itself
 *
 * `no-cluster` stands in for an instance outside any audited cluster.
 */
export function resourcePath(finding: Finding, checks: readonly ReportedCheck[], withScope = false): string {
  const node = identifyingNode(finding, checks);
  const { type, id } = finding.resource;
  // a report of several scopes: swarm/<account>/<region>/<cluster>/..., the same cluster id may live in two regions
  const scope = withScope ? [finding.accountId ?? 'unknown-account', finding.region ?? 'unknown-region'] : [];
  const segments = [...scope, finding.clusterId ?? 'no-cluster'];
  if (node !== undefined) segments.push('node', node);
  if (!(type === 'node' && id === node)) segments.push(type, id);
  return ['swarm', ...segments.map(encodeURIComponent)].join('/');
}
