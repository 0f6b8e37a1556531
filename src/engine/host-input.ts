import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts } from '../probe/facts.js';

/** What the probe gave for one instance: decoded facts, or why there are none. */
type HostProbe =
  | { ok: true; facts: HostFacts }
  | { ok: false; status: 'ERROR' | 'NOT_APPLICABLE'; message: string };

/** One discovered instance and its probe result: the engine's input. Every instance has one. */
export interface HostInput {
  instance: FleetInstance;
  probe: HostProbe;
}
