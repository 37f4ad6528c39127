import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface SpawnedKuscia {
  child: ChildProcess;
  /** The first capture group of the readiness pattern. */
  ready: string;
  /** Everything the process wrote to stdout/stderr so far (for failure messages). */
  output(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `kuscia <args>` as a user would and resolves once its stdout matches `readyPattern` (the line
 * each command prints when it is up), rejecting with the output if it exits or takes over 30 s.
 */
export async function spawnKuscia(args: string[], readyPattern: RegExp): Promise<SpawnedKuscia> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(repoRoot, 'cmd/kuscia.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in 30s:\n${out}`)), 30_000);
    const onData = () => {
      const m = readyPattern.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolveReady(m[1] ?? m[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    ready,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode);
        child.once('exit', (code) => resolveStop(code));
        child.kill(signal);
      }),
  };
}

export interface KusciaProcess extends SpawnedKuscia {
  /** The /healthz base URL the process printed. */
  healthUrl: string;
}

/** `kuscia controllers` / `kuscia scheduler`: up once it printed its healthz address (it then contends for its lease). */
export async function startKusciaProcess(args: string[]): Promise<KusciaProcess> {
  const spawned = await spawnKuscia(args, /healthz at (http:\/\/\S+)\/healthz/);
  return { ...spawned, healthUrl: spawned.ready };
}

/** Runs `kuscia <args>` to completion (init, a start expected to fail, ...). */
export function runKuscia(args: string[], cwd = repoRoot): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(repoRoot, 'cmd/kuscia.ts'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** `kuscia init <initArgs>` plus the settings a test needs (state root, ports), written to `<dir>/<file>`. */
export async function writeInitConfig(dir: string, file: string, initArgs: string[], extra: Record<string, unknown>): Promise<string> {
  const init = await runKuscia(['init', ...initArgs]);
  if (init.code !== 0) throw new Error(`kuscia init ${initArgs.join(' ')} failed (${init.code}):\n${init.stderr}`);
  const path = join(dir, file);
  await writeFile(path, JSON.stringify({ ...(parse(init.stdout) as Record<string, unknown>), ...extra }));
  return path;
}
