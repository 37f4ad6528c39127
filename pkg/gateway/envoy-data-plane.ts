/**
 * A real Envoy as the gateway's data plane (`gateway.dataPlane: envoy`): the same ADS stream the
 * built-in data plane consumes, served to an Envoy process started from envoy/envoy.yaml.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { freePort } from '../modules/free-port.ts';
import { RestartBackoff } from '../modules/restart-backoff.ts';
import { renderEnvoyBootstrap } from './envoy/bootstrap.ts';
import { findEnvoyBinary } from './envoy/envoy-binary.ts';
import { envoyFiles } from './envoy/envoy-process.ts';
import { EnvoySupervisor } from './envoy/envoy-supervisor.ts';
import { stopLeftoverEnvoy } from './envoy/leftover-envoy.ts';
import type { DataPlaneLauncher } from './gateway.ts';

export interface EnvoyDataPlaneOptions {
  /** The gateway's state dir: envoy.yaml (the rendered bootstrap), envoy.log, envoy.pid. */
  stateDir: string;
  /** `gateway.envoyPath`: the binary, a path or a name on PATH (default `envoy` on PATH). */
  envoyPath?: string;
  /** xDS node cluster (`kuscia-gateway-<domainID>`). */
  nodeCluster: string;
  /** Envoy's admin port on 127.0.0.1 (Kuscia: 10000); 0 or absent picks a free one. */
  adminPort?: number;
  /** `--base-id` (default: the admin port, which is unique on the host). */
  baseId?: number;
  /** `--log-level` (default info). */
  logLevel?: string;
  /** How long the first start may take to answer 200 on `/ready` (default 60 s). */
  readyTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this (default 10 s). */
  stopGraceMs?: number;
  /** How often the peer clusters' health is read for the Gateway object (default 5 s). */
  statsIntervalMs?: number;
  /** Restart delays after Envoy exits (default 1 s doubling to 30 s, reset after a minute up). */
  backoff?: RestartBackoff;
  /** PATH to look `envoy` up on (default the process's). */
  pathEnv?: string;
}

/**
 * The launcher for startGateway. It writes the bootstrap, ends an Envoy an earlier run left behind,
 * starts Envoy and resolves once `/ready` answers 200. A missing binary rejects with
 * "gateway.dataPlane: envoy: no envoy binary on PATH". Restarts after a crash are this launcher's
 * (EnvoySupervisor), not the module manager's: the gateway around it keeps running.
 */
export function envoyDataPlane(opts: EnvoyDataPlaneOptions): DataPlaneLauncher {
  return async ({ adsAddress, nodeId, log }) => {
    const binary = findEnvoyBinary(opts.envoyPath, opts.pathEnv);
    await mkdir(opts.stateDir, { recursive: true, mode: 0o700 });
    await stopLeftoverEnvoy(opts.stateDir, log);
    const adminPort = opts.adminPort || (await freePort('127.0.0.1'));
    // Readiness is asked on this port: another server answering there would pass for our Envoy.
    if (opts.adminPort) await assertPortFree(opts.adminPort);
    const { host, port } = splitHostPort(adsAddress);
    const bootstrap = renderEnvoyBootstrap({ nodeId, cluster: opts.nodeCluster, xdsHost: host, xdsPort: port, adminPort });
    await writeFile(envoyFiles(opts.stateDir).bootstrap, bootstrap, { mode: 0o600 });

    const supervisor = new EnvoySupervisor({
      binary,
      stateDir: opts.stateDir,
      baseId: opts.baseId ?? adminPort,
      logLevel: opts.logLevel ?? 'info',
      adminPort,
      readyTimeoutMs: opts.readyTimeoutMs ?? 60_000,
      stopGraceMs: opts.stopGraceMs ?? 10_000,
      statsIntervalMs: opts.statsIntervalMs ?? 5_000,
      backoff: opts.backoff ?? new RestartBackoff(),
      log,
    });
    await supervisor.start();
    return { networkStatus: () => supervisor.networkStatus(), stop: () => supervisor.stop() };
  };
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`gateway envoy: admin port 127.0.0.1:${port} is already in use`) : err),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** `127.0.0.1:10001` or `[::1]:10001`, as the xDS server reports its address. */
function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(colon + 1)) };
}
