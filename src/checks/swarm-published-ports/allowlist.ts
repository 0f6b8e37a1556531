import type { PortFacts, ServiceFacts } from '../../probe/facts.js';
import type { PublishedPortsOptions } from './options.js';

/**
 * The allowlist entry that permits this published port, if any: the service
 * name, "8080" (any protocol) or "8080/tcp". Matching is exact.
 */
export function allowlistEntryFor(
  options: PublishedPortsOptions,
  service: ServiceFacts,
  port: PortFacts,
): string | undefined {
  if (options.allowServices.includes(service.name)) return `service ${service.name}`;
  if (port.publishedPort === undefined) return undefined;
  const published = String(port.publishedPort);
  const withProtocol = `${published}/${port.protocol}`;
  const entry = options.allowPorts.find((p) => {
    const normalized = p.trim().toLowerCase();
    return normalized === published || normalized === withProtocol;
  });
  return entry === undefined ? undefined : `port ${entry}`;
}
