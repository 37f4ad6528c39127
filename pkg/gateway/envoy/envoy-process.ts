import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/** Files of one gateway's Envoy in its state dir. */
export function envoyFiles(stateDir: string): { bootstrap: string; log: string; pid: string } {
  return { bootstrap: join(stateDir, 'envoy.yaml'), log: join(stateDir, 'envoy.log'), pid: join(stateDir, 'envoy.pid') };
}

export interface EnvoyProcessSpec {
  binary: string;
  stateDir: string;
  /** `--base-id`: shared-memory and hot-restart socket names; two Envoys on one host need different ones. */
  baseId: number;
  logLevel: string;
}

export interface EnvoyProcess {
  pid: number;
  startedAt: number;
  /** Settles when the process is gone (never rejects). */
  exited: Promise<{ code: number | undefined; signal: string | undefined }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. Reports whether SIGKILL was needed. */
  stop(graceMs: number): Promise<{ killed: boolean }>;
}

/**
 * Starts `envoy -c <stateDir>/envoy.yaml` as Kuscia runs it (`--log-level info --drain-time-s 60`,
 * plus `--base-id`). Output is appended to `<stateDir>/envoy.log` (Envoy logs to stderr), and the
 * pid goes to `<stateDir>/envoy.pid` so a later start can find an Envoy this node left behind.
 */
export async function spawnEnvoy(spec: EnvoyProcessSpec): Promise<EnvoyProcess> {
  const files = envoyFiles(spec.stateDir);
  const args = ['-c', files.bootstrap, '--log-level', spec.logLevel, '--drain-time-s', '60', '--base-id', String(spec.baseId)];
  const child = execa(spec.binary, args, {
    cwd: spec.stateDir,
    stdin: 'ignore',
    stdout: { file: files.log, append: true },
    stderr: { file: files.log, append: true },
    reject: false,
    // Stopping is ours (SIGTERM, then SIGKILL after the grace period); execa's cleanup still ends it
    // when this process exits.
    forceKillAfterDelay: false,
  });
  const startedAt = Date.now();
  const exited = child.then(
    (r) => ({ code: r.exitCode, signal: r.signal }),
    () => ({ code: undefined, signal: undefined }),
  );
  const pid = child.pid;
  if (pid === undefined) {
    const result = await exited;
    throw new Error(`envoy: ${spec.binary} could not be started (code ${result.code ?? 'none'})`);
  }
  await writeFile(files.pid, `${JSON.stringify({ pid, bootstrap: files.bootstrap })}\n`, { mode: 0o600 });
  void exited.then(() => removePidFile(files.pid, pid));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  return {
    pid,
    startedAt,
    exited,
    stop: async (graceMs) => {
      if (gone) return { killed: false };
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
      return { killed };
    },
  };
}

/** Removes the pid file if it still names this process (a newer Envoy may have written it). */
async function removePidFile(path: string, pid: number): Promise<void> {
  const recorded = await readPidFile(path);
  if (recorded?.pid === pid) await rm(path, { force: true });
}

export async function readPidFile(path: string): Promise<{ pid: number; bootstrap: string } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; bootstrap?: unknown };
    return typeof parsed.pid === 'number' && typeof parsed.bootstrap === 'string' ? { pid: parsed.pid, bootstrap: parsed.bootstrap } : undefined;
  } catch {
    return undefined;
  }
}

/** The last non-empty lines of Envoy's log: why it exited, for the error message. */
export async function envoyLogTail(stateDir: string, maxLines = 3): Promise<string> {
  let handle;
  try {
    handle = await open(envoyFiles(stateDir).log, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .slice(-maxLines)
      .join(' | ');
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}
