/**
 * The API server under test, run as `kuscia apiserver` in its own process: its RSS is then its own,
 * and the load generator does not share (and slow down) its event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { KUSCIA_NODE_FLAGS } from '../../cmd/node-flags.ts';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readProcCpuMs, readProcMemory } from '../common/proc-stats.ts';
import { superviseChild } from '../common/supervised-child.ts';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  kubeconfigPath: string;
  /** VmRSS and VmHWM (peak) of the server process, in MiB, from /proc/<pid>/status. */
  memory(): { rssMiB: number; peakMiB: number };
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): number;
  /** Needs nodeFlags --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR: signals and waits for the file. */
  heapSnapshot(): Promise<string>;
  /** SIGTERM (graceful: a --cpu-prof profile is written), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Last resort for process 'exit' handlers: synchronous SIGKILL. */
  killNow(): void;
}

export interface StartServerOptions {
  dataDir: string;
  storage: 'sqlite' | 'memory';
  /** Extra node flags for the server process, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeFlags?: string[];
  startTimeoutMs?: number;
}

const kusciaEntry = join(import.meta.dirname, '..', '..', 'cmd', 'kuscia.ts');

export function startServerProcess(opts: StartServerOptions): Promise<ServerProcess> {
  const args = [
    // The flags the kuscia launcher runs with, then any the bench adds.
    ...KUSCIA_NODE_FLAGS,
    ...(opts.nodeFlags ?? []),
    kusciaEntry,
    'apiserver',
    '--data-dir',
    opts.dataDir,
    '--port',
    '0',
    '--storage',
    opts.storage,
    '--log-level',
    'warn',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    // Server warnings/errors during the run are worth seeing, but keep them out of the figures.
    if (stderr.length > 64 * 1024) stderr = stderr.slice(-32 * 1024);
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`API server did not start within ${opts.startTimeoutMs ?? 30_000} ms`)), opts.startTimeoutMs ?? 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n--- server stderr ---\n${stderr}`));
    };
    child.once('exit', (code, signal) => fail(new Error(`API server exited early (code ${code}, signal ${signal})`)));
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      const m = /kuscia apiserver listening on (\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      const diagnosticDir = opts.nodeFlags?.find((f) => f.startsWith('--diagnostic-dir='))?.slice('--diagnostic-dir='.length);
      resolve(wrap(child, m[1]!, join(opts.dataDir, 'kubeconfig.yaml'), () => stderr, diagnosticDir));
    });
  });
}

function wrap(child: ChildProcess, url: string, kubeconfigPath: string, stderr: () => string, diagnosticDir?: string): ServerProcess {
  const pid = child.pid!;
  const supervised = superviseChild(child);
  return {
    url,
    pid,
    kubeconfigPath,
    memory() {
      const { rssMiB, hwmMiB } = readProcMemory(pid);
      return { rssMiB, peakMiB: hwmMiB };
    },
    cpuMs: () => readProcCpuMs(pid),
    async heapSnapshot() {
      if (!diagnosticDir) throw new Error('heap snapshots need --diagnostic-dir among the node flags');
      const before = new Set(existsSync(diagnosticDir) ? readdirSync(diagnosticDir) : []);
      child.kill('SIGUSR2');
      // The snapshot is written under its final name while it is being serialised: wait until
      // the new file stops growing.
      let lastSize = -1;
      for (let waited = 0; waited < 120_000; waited += 500) {
        await new Promise((r) => setTimeout(r, 500));
        const fresh = (existsSync(diagnosticDir) ? readdirSync(diagnosticDir) : []).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
        if (!fresh) continue;
        const size = statSync(join(diagnosticDir, fresh)).size;
        if (size > 0 && size === lastSize) return join(diagnosticDir, fresh);
        lastSize = size;
      }
      throw new Error('heap snapshot did not appear within 120 s');
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await supervised.stop(graceMs);
      const errors = stderr().trim();
      if (errors) process.stderr.write(`--- server stderr ---\n${errors}\n`);
    },
    killNow: supervised.killNow,
  };
}
