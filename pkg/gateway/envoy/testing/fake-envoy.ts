import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeEnvoyBehaviour } from './fake-envoy-main.ts';

export type { FakeEnvoyBehaviour };

const MAIN = fileURLToPath(new URL('./fake-envoy-main.ts', import.meta.url));
const ADS_MAIN = fileURLToPath(new URL('./ads-envoy-main.ts', import.meta.url));

export interface FakeEnvoyStart {
  pid: number;
  args: string[];
  bootstrap: Record<string, any>;
}

/**
 * Writes an executable named `envoy` into `dir` (put `dir` on PATH, or pass the path) that runs
 * fake-envoy-main.ts with this Node.
 */
export function writeFakeEnvoy(dir: string, behaviour: FakeEnvoyBehaviour = {}): string {
  const path = writeLauncher(dir, MAIN);
  setFakeEnvoyBehaviour(dir, behaviour);
  return path;
}

/**
 * Writes an `envoy` into `dir` that is an xDS client of the bootstrap's ADS server and proxies
 * with what it gets (ads-envoy-main.ts): the gateway runs with it as with a real Envoy.
 */
export function writeAdsFakeEnvoy(dir: string): string {
  return writeLauncher(dir, ADS_MAIN);
}

function writeLauncher(dir: string, main: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'envoy');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(path, `#!/bin/sh\nFAKE_ENVOY_DIR=${quote(dir)} exec ${quote(process.execPath)} --disable-warning=ExperimentalWarning ${quote(main)} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Changes what the fake does from its next request (or start) on. */
export function setFakeEnvoyBehaviour(dir: string, behaviour: FakeEnvoyBehaviour): void {
  writeFileSync(join(dir, 'fake-envoy.json'), JSON.stringify(behaviour));
}

/** Every start of the fake so far, oldest first. */
export function fakeEnvoyStarts(dir: string): FakeEnvoyStart[] {
  try {
    return readFileSync(join(dir, 'starts.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as FakeEnvoyStart);
  } catch {
    return [];
  }
}

/** An Envoy admin `/clusters?format=json` body: clusters with hosts healthy (true) or failing their health check. */
export function clustersJson(clusters: Record<string, boolean[]>): unknown {
  return {
    cluster_statuses: Object.entries(clusters).map(([name, hosts]) => ({
      name,
      added_via_api: true,
      host_statuses: hosts.map((healthy, i) => ({
        address: { socket_address: { address: `10.0.0.${i + 1}`, port_value: 1080 } },
        stats: [{ name: 'cx_total', value: '1', type: 'COUNTER' }],
        health_status: healthy ? { eds_health_status: 'HEALTHY' } : { failed_active_health_check: true, eds_health_status: 'HEALTHY' },
        weight: 1,
      })),
    })),
  };
}
