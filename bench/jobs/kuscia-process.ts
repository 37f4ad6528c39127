/**
 * A long-running `kuscia controllers` / `kuscia scheduler` process as a user starts it (the
 * launcher's node flags, its own event loop and heap), so its RSS and CPU are its own. Resolves once
 * it printed its healthz address; whether it leads is checked separately (its Lease).
 *
 * `heapSnapshotDir` runs the child with --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR, so that
 * heapSnapshot() can ask for a V8 heap snapshot (written by the child itself, then waited for), and
 * with --inspect=127.0.0.1:0, so that memoryReport() can ask it for its V8 figures and collect its
 * garbage first (see memory-report.ts).
 * `wrapper` (e.g. ['heaptrack', '-o', '/tmp/controllers']) runs the child under that command, to
 * trace native allocations; pid, RSS and CPU are then the wrapper's, not node's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KUSCIA_NODE_FLAGS } from '../../cmd/node-flags.ts';
import { readProcMemory, readProcCpuMs, type ProcMemory } from '../common/proc-stats.ts';
import { superviseChild } from '../common/supervised-child.ts';
import { inspectorUrl, memoryReport, openInspector } from './memory-report.ts';

export interface KusciaChild {
  name: string;
  pid: number;
  memory(): ProcMemory;
  cpuMs(): number;
  /** The last 32 KiB the process wrote (warnings and errors; the bench runs it at --log-level warn). */
  output(): string;
  /** Signals the child to write a heap snapshot (needs `heapSnapshotDir`); resolves to its path once written. */
  heapSnapshot(): Promise<string>;
  /** Needs `heapSnapshotDir`: RSS by mapping kind and V8's own figures, after a full GC if `gcFirst`. */
  memoryReport(gcFirst: boolean): Promise<string>;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Last resort for process 'exit' handlers: synchronous SIGKILL. */
  killNow(): void;
}

const kusciaEntry = join(import.meta.dirname, '..', '..', 'cmd', 'kuscia.ts');
const OUTPUT_KEEP = 32 * 1024;

export interface KusciaChildOptions {
  heapSnapshotDir?: string | undefined;
  wrapper?: string[];
  startTimeoutMs?: number;
}

export function startKusciaChild(name: string, args: string[], opts: KusciaChildOptions = {}): Promise<KusciaChild> {
  const { heapSnapshotDir, wrapper = [], startTimeoutMs = 30_000 } = opts;
  const snapshotFlags = heapSnapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapSnapshotDir}`, '--inspect=127.0.0.1:0'] : [];
  const command = [...wrapper, process.execPath, ...KUSCIA_NODE_FLAGS, ...snapshotFlags, kusciaEntry, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let inspector: string | undefined;
  const keep = (s: string) => {
    out += s;
    inspector ??= inspectorUrl(out);
    if (out.length > 2 * OUTPUT_KEEP) out = out.slice(-OUTPUT_KEEP);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);

  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      clearTimeout(timer);
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n--- ${name} output ---\n${out}`));
    };
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    child.once('exit', (code, signal) => fail(new Error(`${name} exited early (code ${code}, signal ${signal})`)));
    const poll = setInterval(() => {
      if (!/healthz at http:\/\/\S+\/healthz/.test(out)) return;
      clearTimeout(timer);
      clearInterval(poll);
      child.removeAllListeners('exit');
      resolve(wrap(name, child, () => out.slice(-OUTPUT_KEEP), heapSnapshotDir, () => inspector));
    }, 50);
  });
}

function wrap(name: string, child: ChildProcess, output: () => string, heapSnapshotDir: string | undefined, inspectorAt: () => string | undefined): KusciaChild {
  const pid = child.pid!;
  return {
    name,
    pid,
    memory: () => readProcMemory(pid),
    cpuMs: () => readProcCpuMs(pid),
    output,
    heapSnapshot: () => {
      if (!heapSnapshotDir) return Promise.reject(new Error(`${name} was not started with a heap snapshot directory`));
      return requestHeapSnapshot(child, heapSnapshotDir);
    },
    memoryReport: async (gcFirst) => {
      const url = inspectorAt();
      if (!heapSnapshotDir || !url) throw new Error(`${name} was not started with its inspector open`);
      const inspector = await openInspector(url);
      try {
        if (gcFirst) await inspector.call('HeapProfiler.collectGarbage');
        return await memoryReport(pid, inspector);
      } finally {
        inspector.close();
      }
    },
    ...superviseChild(child),
  };
}

/** SIGUSR2, then waits for the new .heapsnapshot file to stop growing (it is written under its final name). */
async function requestHeapSnapshot(child: ChildProcess, dir: string): Promise<string> {
  const list = () => (existsSync(dir) ? readdirSync(dir) : []);
  const before = new Set(list());
  child.kill('SIGUSR2');
  let lastSize = -1;
  for (let waited = 0; waited < 180_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    const fresh = list().find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!fresh) continue;
    const size = statSync(join(dir, fresh)).size;
    if (size > 0 && size === lastSize) return join(dir, fresh);
    lastSize = size;
  }
  throw new Error('heap snapshot did not appear within 180 s');
}
