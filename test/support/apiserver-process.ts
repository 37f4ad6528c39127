import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

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
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(repoRoot, 'cmd/kuscia.ts'), 'apiserver', '--data-dir', dataDir, '--port', '0', ...(opts.extraArgs ?? [])], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`apiserver did not start in 30s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`apiserver exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    kubeconfig: join(dataDir, 'kubeconfig.yaml'),
    child,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode);
        child.once('exit', (code) => resolveStop(code));
        child.kill(signal);
      }),
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
