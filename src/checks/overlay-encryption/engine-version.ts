/**
 * Docker engine versions and CVE-2023-28840/28841/28842: engines before
 * 20.10.24 and 23.0.0-23.0.2 may send unencrypted traffic on "encrypted"
 * overlay networks (fixed in 20.10.24 and 23.0.3). The 21.x/22.x line only
 * ever shipped as 22.06 pre-releases cut before the fix, so it counts as
 * affected too.
 */
export interface EngineVersion {
  major: number;
  minor: number;
  patch: number;
}

export const ENCRYPTION_CVES = ['CVE-2023-28840', 'CVE-2023-28841', 'CVE-2023-28842'] as const;

/** "20.10.24+dfsg1", "24.0.7", "23.0.1-ce", "v20.10.5" -> numbers; anything else -> undefined. */
export function parseEngineVersion(text: string): EngineVersion | undefined {
  const match = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:[-+~.][0-9A-Za-z.+~-]*)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

export function compareEngineVersions(a: EngineVersion, b: EngineVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

const FIXED_20 = { major: 20, minor: 10, patch: 24 };
const FIXED_23 = { major: 23, minor: 0, patch: 3 };

export function hasOverlayEncryptionCve(version: EngineVersion): boolean {
  if (compareEngineVersions(version, FIXED_20) < 0) return true;
  if (version.major === 21 || version.major === 22) return true;
  return version.major === 23 && compareEngineVersions(version, FIXED_23) < 0;
}
