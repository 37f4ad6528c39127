import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { SUPERVISOR_PIPE_ENV } from './supervisor-pipe.ts';
import type { Module } from './module.ts';
import { RestartBackoff } from './restart-backoff.ts';

/** Kuscia's supervisor warns about children that die this soon after starting. */
export const SHORT_RUN_MS = 3_000;

export interface ChildProcessModuleOptions {
  name: string;
  dependsOn?: readonly string[];
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ready once the child's stdout matched this (the line each kuscia command prints when up). */
  readyPattern: RegExp;
  /** How long to wait for the pattern on the first start (default 30 s). */
  readyTimeoutMs?: number;
  /** SIGTERM first, SIGKILL after this (default 10 s). */
  stopGraceMs?: number;
  backoff?: RestartBackoff;
  log: Logger;
}

/**
 * A module that is a child process, supervised: output goes to this process's stdout/stderr (one
 * log stream for the node), a crash is restarted with back-off, and stop() ends it gracefully.
 * Child processes keep a crashing component from taking the node down and spread work over cores.
 */
export function childProcessModule(opts: ChildProcessModuleOptions): Module & { pid(): number | undefined } {
  const log = opts.log.child({ component: 'supervisor', module: opts.name });
  const backoff = opts.backoff ?? new RestartBackoff();
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let firstReady: Promise<void> | undefined;

  const launch = (): Promise<void> => {
    const startedAt = Date.now();
    // stdin stays an open pipe that is never written: its end tells the child this supervisor died.
    const env = { ...(opts.env ?? process.env), [SUPERVISOR_PIPE_ENV]: '1' };
    const proc = spawn(opts.command, [...opts.args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    proc.stdin?.on('error', () => {});
    child = proc;
    let seen = '';
    let ready = false;
    const readyPromise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within ${opts.readyTimeoutMs ?? 30_000} ms`)), opts.readyTimeoutMs ?? 30_000);
      proc.stdout?.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        if (ready) return;
        // Keep only a tail: the pattern is one line, the output may be long.
        seen = (seen + chunk.toString()).slice(-4096);
        if (opts.readyPattern.test(seen)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`exited (${signal ?? `code ${code}`}) before it was ready`));
      });
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    proc.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    proc.once('exit', (code, signal) => {
      if (child === proc) child = undefined;
      if (stopping) return;
      const ranMs = Date.now() - startedAt;
      if (ranMs < SHORT_RUN_MS) log.warn({ code, signal }, `process only existed ${ranMs} ms, less than ${SHORT_RUN_MS} ms`);
      const delayMs = backoff.delayAfter(ranMs);
      log.error({ code, signal, ranMs, delayMs }, 'process exited; restarting');
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (stopping) return;
        // A restart's readiness is only logged: the node is already up and dependents reconnect.
        launch().then(
          () => log.info({ pid: child?.pid }, 'process restarted and ready'),
          (err: unknown) => log.error({ err }, 'restarted process did not get ready'),
        );
      }, delayMs);
    });
    return readyPromise;
  };

  return {
    name: opts.name,
    dependsOn: opts.dependsOn ?? [],
    pid: () => child?.pid,
    start: async () => {
      firstReady = launch();
      // Surface an early failure (spawn error) without waiting for readiness here.
      firstReady.catch(() => {});
    },
    ready: () => firstReady ?? Promise.reject(new Error(`${opts.name} was not started`)),
    stop: async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => {
          log.warn({ pid: proc.pid }, 'did not stop in time; SIGKILL');
          proc.kill('SIGKILL');
        }, opts.stopGraceMs ?? 10_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    },
  };
}
