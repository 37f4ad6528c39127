import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import type { ResolvedMount } from '../pod-runtime.ts';

export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

/**
 * A pod's sandbox: `<rootDir>/sandboxes/<uid>/`, playing the role of the container's root file
 * system. The path rules (docs/agent.md):
 * - an absolute path P of the pod spec (mountPath, workingDir, terminationMessagePath) is
 *   `<sandbox>/P`;
 * - a relative mountPath (Kuscia's AppImages use `./kuscia/task-config.conf`) is relative to the
 *   container's working dir;
 * - the working dir is the container's `workingDir` mapped as above, or `<sandbox>/containers/<name>`;
 * - the default terminationMessagePath `/dev/termination-log` is per container:
 *   `<sandbox>/containers/<name>/termination-log` (two containers must not share it).
 * A path that would leave the sandbox (`../..`) is refused.
 */
export class Sandbox {
  readonly dir: string;

  constructor(rootDir: string, uid: string) {
    this.dir = join(rootDir, 'sandboxes', uid);
  }

  /** Maps a pod-spec absolute path into the sandbox. */
  mapAbsolute(path: string): string {
    return this.inside(join(this.dir, normalize(path)));
  }

  workingDir(container: string, workingDir: string | undefined): string {
    return workingDir ? this.mapAbsolute(workingDir) : this.inside(join(this.dir, 'containers', container));
  }

  terminationMessageFile(container: string, specPath: string | undefined): string {
    return !specPath || specPath === DEFAULT_TERMINATION_MESSAGE_PATH
      ? this.inside(join(this.dir, 'containers', container, 'termination-log'))
      : this.mapAbsolute(specPath);
  }

  mountPath(mountPath: string, workingDir: string): string {
    return isAbsolute(mountPath) ? this.mapAbsolute(mountPath) : this.inside(join(workingDir, mountPath));
  }

  /** Creates the container's directories and writes its mounts' files. */
  async prepareContainer(workingDir: string, terminationFile: string, mounts: ResolvedMount[]): Promise<void> {
    await mkdir(workingDir, { recursive: true });
    await mkdir(dirname(terminationFile), { recursive: true });
    await writeFile(terminationFile, '');
    for (const mount of mounts) {
      const target = this.mountPath(mount.mountPath, workingDir);
      if (mount.files.length === 0) await mkdir(target, { recursive: true });
      for (const file of mount.files) {
        const path = file.path === '' ? target : this.inside(join(target, file.path));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.content);
        const mode = file.mode ?? (mount.readOnly ? 0o444 : 0o644);
        await chmod(path, mode);
      }
    }
  }

  /** Empties the termination message file before a (re)start: each run's message is its own. */
  async resetTerminationFile(terminationFile: string): Promise<void> {
    await writeFile(terminationFile, '');
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }

  private inside(path: string): string {
    const rel = relative(this.dir, path);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new SandboxPathError(`path ${path} leaves the pod sandbox`);
    return path;
  }
}

export class SandboxPathError extends Error {
  override readonly name = 'SandboxPathError';
}
