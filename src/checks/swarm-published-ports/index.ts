/**
 * Published service ports (the source sheet's reading of "bound to a specific
 * host interface"). Swarm cannot bind a published port to a host IP, so this
 * check only reports exposure and gives guidance; it never remediates
 * (docs/docker.md, "Control plane listeners").
 */
import type { PortFacts, ServiceFacts } from '../../probe/facts.js';
import type { CheckResult, ClusterCheck, ClusterCheckContext, Resource } from '../types.js';
import { allowlistEntryFor } from './allowlist.js';
import { PUBLISHED_PORTS_DEFAULTS, publishedPortsOptionsSchema, type PublishedPortsOptions } from './options.js';

const CANNOT_BIND =
  'Swarm cannot bind a published port to a host IP (PortConfig has no host IP: moby #26696, #32299)';
const OPTIONS =
  'Options: stop publishing and reach the service over an overlay network; or publish in host mode behind a proxy ' +
  'or DOCKER-USER firewall rules; and restrict the port with security groups';

export const swarmPublishedPorts: ClusterCheck<PublishedPortsOptions> = {
  meta: {
    id: 'swarm-published-ports',
    title: 'Swarm services do not publish ports on every interface',
    severity: 'medium',
    scope: 'cluster',
    reads: ['services'],
    description:
      'Reports every published service port: ingress mode opens it on every interface of every node (routing mesh), ' +
      'host mode on 0.0.0.0 of nodes running a task. Swarm cannot bind a published port to a host IP, so this check ' +
      'gives guidance only.',
  },
  optionsSchema: publishedPortsOptionsSchema,
  defaultOptions: PUBLISHED_PORTS_DEFAULTS,
  evaluateCluster: evaluatePublishedPorts,
};

function evaluatePublishedPorts({ clusterId, manager, options }: ClusterCheckContext<PublishedPortsOptions>): CheckResult[] {
  const services = manager.facts.services;
  // `reads: ['services']`: the engine runs this check only on a manager whose service list was collected
  if (!services) throw new Error('the manager probe returned no service list');
  if (services.length === 0) {
    return [{ status: 'NOT_APPLICABLE', resource: { type: 'cluster', id: clusterId }, message: 'no services in this cluster' }];
  }
  return services.flatMap((service) => evaluateService(service, options));
}

function evaluateService(service: ServiceFacts, options: PublishedPortsOptions): CheckResult[] {
  if (service.ports.length === 0) {
    return [
      {
        status: 'PASS',
        resource: { type: 'service', id: service.id, name: service.name },
        message: `service ${service.name} publishes no ports`,
      },
    ];
  }
  const ids = service.ports.map((port) => portResourceId(service, port));
  return service.ports.map((port, index) => {
    const id = ids.indexOf(ids[index]) === index ? ids[index] : `${ids[index]}#${index}`;
    return evaluatePort(service, port, { type: 'port', id, name: service.name }, options);
  });
}

function portResourceId(service: ServiceFacts, port: PortFacts): string {
  const published = port.publishedPort === undefined ? `dynamic->${port.targetPort}` : String(port.publishedPort);
  return `${service.name}:${published}/${port.protocol}`;
}

function evaluatePort(
  service: ServiceFacts,
  port: PortFacts,
  resource: Resource,
  options: PublishedPortsOptions,
): CheckResult {
  const evidence = {
    service: service.name,
    serviceId: service.id,
    publishMode: port.publishMode,
    protocol: port.protocol,
    publishedPort: port.publishedPort,
    targetPort: port.targetPort,
    endpointMode: service.endpointMode,
  };
  const allowedBy = allowlistEntryFor(options, service, port);
  if (allowedBy) {
    return { status: 'PASS', resource, evidence: { ...evidence, allowedBy }, message: 'allowed by configuration' };
  }
  const published = port.publishedPort === undefined ? 'a dynamically assigned port' : `port ${port.publishedPort}`;
  const what = `service ${service.name} publishes ${published}/${port.protocol} -> ${port.targetPort}`;
  if (port.publishMode === 'host') {
    return {
      status: 'WARN',
      resource,
      evidence,
      message: `${what} in host mode: it listens on 0.0.0.0 of every node running a task. ${CANNOT_BIND}. ${OPTIONS}`,
    };
  }
  return {
    status: 'FAIL',
    resource,
    evidence,
    message:
      `${what} in ingress mode: the routing mesh opens it on every interface of every node. ${CANNOT_BIND}. ${OPTIONS}`,
  };
}
