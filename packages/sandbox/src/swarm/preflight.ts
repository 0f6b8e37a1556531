import { access, constants, open } from 'node:fs/promises';
import { UsageError } from '../../../../src/errors.js';
import { SANDBOX_PATH } from './fleet-builder.js';

const INSTALL_HINT = 'install them with `apt-get install -y docker.io busybox-static iproute2` (Debian/Ubuntu) and run as root';

/** Programs `up` needs, looked up in the sandbox PATH. dockerd needs containerd and runc beside it. */
const REQUIRED_PROGRAMS = ['dockerd', 'docker', 'containerd', 'containerd-shim-runc-v2', 'runc', 'ip', 'nsenter', 'unshare', 'umount', 'tar'] as const;
const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'] as const;

export interface SandboxTools {
  programs: Record<(typeof REQUIRED_PROGRAMS)[number], string>;
  busybox: string;
}

/**
 * Linux, root, and every binary present: otherwise UsageError
 * 'SandboxUnsupported' saying exactly what is missing and how to get it.
 */
export async function checkSandboxSupport(): Promise<SandboxTools> {
  if (process.platform !== 'linux') {
    throw new UsageError(`the sandbox needs Linux network namespaces; this is ${process.platform}`, 'SandboxUnsupported');
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new UsageError('the sandbox creates network namespaces and starts dockerd: run it as root (sudo)', 'SandboxUnsupported');
  }
  const programs = {} as SandboxTools['programs'];
  const missing: string[] = [];
  for (const name of REQUIRED_PROGRAMS) {
    const found = await findInPath(name);
    if (found) programs[name] = found;
    else missing.push(name);
  }
  const busybox = await findStaticBusybox();
  if (!busybox) missing.push('busybox (statically linked: busybox-static)');
  if (missing.length > 0) {
    throw new UsageError(`the sandbox needs ${missing.join(', ')} in ${SANDBOX_PATH}: ${INSTALL_HINT}`, 'SandboxUnsupported');
  }
  return { programs, busybox: busybox! };
}

async function findInPath(name: string): Promise<string | undefined> {
  for (const dir of SANDBOX_PATH.split(':')) {
    const candidate = `${dir}/${name}`;
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The image's only binary must run with no libc in the container: a dynamically linked busybox would not. */
async function findStaticBusybox(): Promise<string | undefined> {
  for (const candidate of BUSYBOX_CANDIDATES) {
    if ((await isExecutable(candidate)) && !(await hasInterpreter(candidate))) return candidate;
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** True when the ELF file has a PT_INTERP program header (dynamically linked). */
export async function hasInterpreter(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(64);
    await handle.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) return true; // not ELF: treat as unusable
    const is64 = header[4] === 2;
    const little = header[5] === 1;
    const u16 = (b: Buffer, o: number) => (little ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(little ? header.readBigUInt64LE(32) : header.readBigUInt64BE(32)) : u32(header, 28);
    const phentsize = u16(header, is64 ? 54 : 42);
    const phnum = u16(header, is64 ? 56 : 44);
    const table = Buffer.alloc(phentsize * phnum);
    await handle.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === 3) return true;
    return false;
  } finally {
    await handle.close();
  }
}
