import { spawn } from 'node:child_process';
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '../../../../src/errors.js';
import { DOCKER_CLIENT, type NodeDocker } from './docker-client.js';
import { runOk } from './exec.js';
import { SANDBOX_PATH } from './fleet-builder.js';

/** The only image the sandbox runs: busybox-static, built locally because no registry is reachable. */
export const SANDBOX_IMAGE = 'local/busybox:1';
const IMAGE_CMD = 'CMD ["/bin/sleep","3600"]';

/** A root filesystem with busybox and one symlink per applet (what `busybox --install -s` makes). */
export async function buildRootfs(busybox: string, imageDir: string): Promise<string> {
  const rootfs = join(imageDir, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  for (const dir of ['etc', 'tmp', 'proc', 'sys', 'dev']) await mkdir(join(rootfs, dir), { recursive: true });
  await copyFile(busybox, join(rootfs, 'bin', 'busybox'));
  const applets = (await runOk(busybox, ['--list'], { timeoutMs: 10_000 })).split('\n').filter((a) => /^[a-z0-9_.[-]+$/.test(a));
  await Promise.all(applets.filter((a) => a !== 'busybox').map((a) => symlink('busybox', join(rootfs, 'bin', a))));
  return rootfs;
}

/** `tar c rootfs | docker import --change CMD - local/busybox:1` on one node. */
export function importRootfs(docker: NodeDocker, rootfs: string, configDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: SANDBOX_PATH } });
    const importer = spawn(
      DOCKER_CLIENT,
      ['-H', `unix://${docker.node.socket}`, 'import', '--change', IMAGE_CMD, '-', SANDBOX_IMAGE],
      { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: SANDBOX_PATH, DOCKER_CONFIG: configDir } },
    );
    tar.stdout.pipe(importer.stdin);
    let stderr = '';
    tar.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    importer.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const fail = (why: string) => reject(new ToolError('SandboxImageFailed', `building ${SANDBOX_IMAGE} failed: ${why} ${stderr.trim()}`));
    tar.on('error', (e) => fail(e.message));
    importer.on('error', (e) => fail(e.message));
    tar.on('close', (code) => {
      if (code !== 0) fail(`tar exit ${code}`);
    });
    importer.on('close', (code) => (code === 0 ? resolve() : fail(`docker import exit ${code}`)));
  });
}

export async function saveImage(docker: NodeDocker, file: string): Promise<void> {
  await docker.ok(['save', '-o', file, SANDBOX_IMAGE]);
}

export async function loadImage(docker: NodeDocker, file: string): Promise<void> {
  await docker.ok(['load', '-q', '-i', file]);
}
