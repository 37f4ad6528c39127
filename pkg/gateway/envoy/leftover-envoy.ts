import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { envoyFiles, readPidFile } from './envoy-process.ts';

/**
 * Ends an Envoy that a previous run of this gateway left behind. Envoy does not notice its
 * supervisor dying (a `kuscia start` killed with SIGKILL cannot forward anything), and it would keep
 * the listeners' ports so the new Envoy could not bind them. The pid file names the process; it is
 * only signalled when its command line still names this state dir's bootstrap, so a pid reused by
 * an unrelated process is left alone.
 */
export async function stopLeftoverEnvoy(stateDir: string, log: Logger, graceMs = 5_000): Promise<void> {
  const files = envoyFiles(stateDir);
  const recorded = await readPidFile(files.pid);
  if (!recorded) return;
  if (recorded.bootstrap === files.bootstrap && (await commandLineNames(recorded.pid, files.bootstrap))) {
    log.warn({ pid: recorded.pid }, 'an Envoy from an earlier run is still running; stopping it');
    signal(recorded.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(recorded.pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(recorded.pid)) signal(recorded.pid, 'SIGKILL');
    const killDeadline = Date.now() + graceMs;
    while (isAlive(recorded.pid) && Date.now() < killDeadline) await sleep(20);
  }
  await rm(files.pid, { force: true });
}

async function commandLineNames(pid: number, bootstrap: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes(bootstrap);
  } catch {
    return false; // gone, or no /proc to check with: never signal a process we cannot identify
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
