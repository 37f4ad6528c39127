/**
 * A long-running `kuscia controllers` / `kuscia scheduler` process as a user starts it (the
 * launcher's node flags, its own event loop and heap), so its RSS and CPU are its own. Resolves once
 * it printed its healthz address; whether it leads is checked separately (its Lease).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KUSCIA_NODE_FLAGS } from '../../cmd/node-flags.ts';
import { readProcMemory, readProcCpuMs, type ProcMemory } from '../common/proc-stats.ts';
import { superviseChild } from '../common/supervised-child.ts';

export interface KusciaChild {
  name: string;
  pid: number;
  memory(): ProcMemory;
  cpuMs(): number;
  /** The last 32 KiB the process wrote (warnings and errors; the bench runs it at --log-level warn). */
  output(): string;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Last resort for process 'exit' handlers: synchronous SIGKILL. */
  killNow(): void;
}

const kusciaEntry = join(import.meta.dirname, '..', '..', 'cmd', 'kuscia.ts');
const OUTPUT_KEEP = 32 * 1024;

export function startKusciaChild(name: string, args: string[], startTimeoutMs = 30_000): Promise<KusciaChild> {
  const child = spawn(process.execPath, [...KUSCIA_NODE_FLAGS, kusciaEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (s: string) => {
    out += s;
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
      resolve(wrap(name, child, () => out.slice(-OUTPUT_KEEP)));
    }, 50);
  });
}

function wrap(name: string, child: ChildProcess, output: () => string): KusciaChild {
  const pid = child.pid!;
  return {
    name,
    pid,
    memory: () => readProcMemory(pid),
    cpuMs: () => readProcCpuMs(pid),
    output,
    ...superviseChild(child),
  };
}
