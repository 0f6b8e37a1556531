/**
 * The published-port allowlist, under checks["swarm-published-ports"] in the
 * config file (and from --allow-published-service / --allow-published-port):
 * { "allowServices": ["edge-proxy"], "allowPorts": ["443/tcp", "80"] }
 */
export type PublishedPortsOptions = {
  /** Services whose published ports are accepted (exact name). */
  allowServices: string[];
  /** Published ports accepted on any service: "8080" (any protocol) or "8080/tcp". */
  allowPorts: string[];
};

export const PUBLISHED_PORTS_DEFAULTS: PublishedPortsOptions = { allowServices: [], allowPorts: [] };

export const publishedPortsOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    allowServices: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'services whose published ports are accepted (exact name)',
    },
    allowPorts: {
      type: 'array',
      items: { type: 'string', pattern: '^[0-9]{1,5}(/(tcp|udp|sctp))?$' },
      description: 'published ports accepted on any service: "8080" (any protocol) or "8080/tcp"',
    },
  },
} as const;
