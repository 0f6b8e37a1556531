/**
 * Maps a failed docker CLI step (exit code + stderr) to a DockerErrorKind.
 * Docker's wording varies by version, so the match is loose (docs/docker.md, "Output and errors the probe meets").
 */
import type { DockerErrorKind } from './facts.js';

const TIMEOUT_EXIT_CODES = new Set([124, 137, 143]);

export function classifyDockerFailure(rc: number, stderr: string[]): { kind: DockerErrorKind; message: string } {
  const text = stderr.join('\n');
  const firstLine = stderr.find((line) => line.trim() !== '')?.trim() ?? '';
  const message = (fallback: string) => (firstLine ? firstLine : fallback);
  if (rc === 127 || /command not found|docker: not found/i.test(text)) {
    return { kind: 'not-installed', message: message('docker: command not found') };
  }
  if (/permission denied while trying to connect/i.test(text)) {
    return { kind: 'permission-denied', message: message('permission denied on the docker socket') };
  }
  if (/cannot connect to the docker daemon|is the docker daemon running/i.test(text)) {
    return { kind: 'daemon-down', message: message('cannot connect to the Docker daemon') };
  }
  if (/swarm is encrypted and needs to be unlocked|swarm is locked/i.test(text)) {
    return { kind: 'swarm-locked', message: message('swarm is locked') };
  }
  if (TIMEOUT_EXIT_CODES.has(rc) && !firstLine) {
    return { kind: 'other', message: `docker did not answer in time (exit ${rc})` };
  }
  return { kind: 'other', message: firstLine ? `${firstLine} (exit ${rc})` : `docker failed with exit ${rc}` };
}
