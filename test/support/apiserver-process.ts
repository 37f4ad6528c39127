import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, spawnKuscia } from './kuscia-process.ts';

export { repoRoot };

export interface ApiServerProcess {
  url: string;
  dataDir: string;
  kubeconfig: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout/stderr so far (for failure messages). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `kuscia apiserver` as a user would (a real process, real HTTPS, SQLite in a temp dir)
 * and resolves once it prints where it listens.
 */
export async function startApiServerProcess(opts: { dataDir?: string; extraArgs?: string[] } = {}): Promise<ApiServerProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'kuscia-apiserver-')));
  const spawned = await spawnKuscia(['apiserver', '--data-dir', dataDir, '--port', '0', ...(opts.extraArgs ?? [])], /listening on (https:\/\/\S+)/);
  return { url: spawned.ready, dataDir, kubeconfig: join(dataDir, 'kubeconfig.yaml'), child: spawned.child, output: spawned.output, stop: spawned.stop };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
