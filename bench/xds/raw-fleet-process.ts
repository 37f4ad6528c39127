/** Starts bench/xds/raw-fleet.ts as a child process (separate from the control plane's event loop). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { superviseChild } from '../common/supervised-child.ts';
import { readProcCpuMs } from '../common/proc-stats.ts';

export interface RawFleetOptions {
  address: string;
  clients: number;
  variant: 'sotw' | 'delta';
  edsNames: readonly string[];
  rdsNames: readonly string[];
}

export interface RawFleet {
  pid: number;
  /** CPU the fleet process used so far (user + system), ms. */
  cpuMs(): number;
  stop(): Promise<void>;
  killNow(): void;
}

const FLEET_SCRIPT = join(import.meta.dirname, 'raw-fleet.ts');
const READY_TIMEOUT_MS = 30_000;

export async function startRawFleet(options: RawFleetOptions): Promise<RawFleet> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      FLEET_SCRIPT,
      '--address', options.address,
      '--clients', String(options.clients),
      '--variant', options.variant,
      '--eds', options.edsNames.join(','),
      '--rds', options.rdsNames.join(','),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const supervised = superviseChild(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw fleet not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`)), READY_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`raw fleet exited (${code}): ${stderr}`));
    });
  });
  return {
    pid: child.pid!,
    cpuMs: () => readProcCpuMs(child.pid!),
    stop: () => supervised.stop(2000),
    killNow: () => supervised.killNow(),
  };
}
