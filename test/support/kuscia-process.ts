import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './apiserver-process.ts';

export interface KusciaProcess {
  child: ChildProcess;
  /** The /healthz base URL the process printed. */
  healthUrl: string;
  output(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a long-lived `kuscia <command>` (controllers, scheduler) as a user would and resolves once it
 * printed its healthz address, i.e. it is up and contending for its lease.
 */
export async function startKusciaProcess(args: string[]): Promise<KusciaProcess> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(repoRoot, 'cmd/kuscia.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const healthUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`kuscia ${args[0]} did not start in 30s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /healthz at (http:\/\/\S+)\/healthz/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolveUrl(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kuscia ${args[0]} exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    healthUrl,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode);
        child.once('exit', (code) => resolveStop(code));
        child.kill(signal);
      }),
  };
}
