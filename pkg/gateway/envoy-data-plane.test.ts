import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually.ts';
import { freePort } from '../modules/free-port.ts';
import { RestartBackoff } from '../modules/restart-backoff.ts';
import { renderEnvoyBootstrap } from './envoy/bootstrap.ts';
import { envoyFiles } from './envoy/envoy-process.ts';
import { clustersJson, fakeEnvoyStarts, setFakeEnvoyBehaviour, writeFakeEnvoy } from './envoy/testing/fake-envoy.ts';
import { envoyDataPlane, type EnvoyDataPlaneOptions } from './envoy-data-plane.ts';
import type { RunningDataPlane } from './gateway.ts';
import { loadEnvoyProtos, type EnvoyProtos } from './xds/envoy-protos.ts';

const log = pino({ level: 'silent' });
const ADS = '127.0.0.1:10001';
const NODE_ID = 'kuscia-gateway-alice-node1';

let protos: EnvoyProtos;
let work: string;
let binDir: string;
let stateDir: string;
const running: RunningDataPlane[] = [];

beforeAll(async () => {
  protos = await loadEnvoyProtos();
});

function setup(): void {
  work = mkdtempSync(join(tmpdir(), 'envoy-dp-'));
  binDir = join(work, 'bin');
  stateDir = join(work, 'state');
}

afterEach(async () => {
  for (const dp of running.splice(0)) await dp.stop();
  rmSync(work, { recursive: true, force: true });
});

async function launch(opts: Partial<EnvoyDataPlaneOptions> = {}): Promise<RunningDataPlane> {
  const launcher = envoyDataPlane({ stateDir, nodeCluster: 'kuscia-gateway-alice', pathEnv: binDir, statsIntervalMs: 50, stopGraceMs: 2_000, readyTimeoutMs: 10_000, ...opts });
  const dp = await launcher({ adsAddress: ADS, nodeId: NODE_ID, protos, log });
  running.push(dp);
  return dp;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('envoyDataPlane', () => {
  it('fails with one clear line when there is no envoy binary on PATH', async () => {
    setup();
    await expect(launch({ pathEnv: join(work, 'empty') })).rejects.toThrow(/^gateway\.dataPlane: envoy: no envoy binary on PATH$/);
    await expect(launch({ envoyPath: join(work, 'nope', 'envoy') })).rejects.toThrow(`gateway.envoyPath: ${join(work, 'nope', 'envoy')} is not an executable file`);
  });

  it("runs envoy with the rendered bootstrap and Kuscia's flags, and is up only once /ready says 200", async () => {
    setup();
    writeFakeEnvoy(binDir, { readyAfterMs: 600 });
    const adminPort = await freePort();
    const began = Date.now();
    await launch({ adminPort });
    expect(Date.now() - began).toBeGreaterThanOrEqual(600);

    const [start] = fakeEnvoyStarts(binDir);
    const bootstrap = envoyFiles(stateDir).bootstrap;
    expect(start!.args).toEqual(['-c', bootstrap, '--log-level', 'info', '--drain-time-s', '60', '--base-id', String(adminPort)]);
    expect(readFileSync(bootstrap, 'utf8')).toBe(renderEnvoyBootstrap({ nodeId: NODE_ID, cluster: 'kuscia-gateway-alice', xdsHost: '127.0.0.1', xdsPort: 10001, adminPort }));
    expect(start!.bootstrap.node).toEqual({ id: NODE_ID, cluster: 'kuscia-gateway-alice' });
  });

  it('reports the peer clusters’ health from the admin API as the Gateway networkStatus', async () => {
    setup();
    writeFakeEnvoy(binDir, { clusters: clustersJson({ 'alice-to-bob-http': [false], 'service-web': [true], 'internal-cluster': [true] }) });
    const dp = await launch();
    await eventually(() => expect(dp.networkStatus()).toEqual([{ name: 'alice-to-bob-http', type: 'DomainRoute', totalEndpointsCount: 1, healthyEndpointsCount: 0 }]));
    setFakeEnvoyBehaviour(binDir, { clusters: clustersJson({ 'alice-to-bob-http': [true], 'alice-to-carol-grpc': [true, false] }) });
    await eventually(() =>
      expect(dp.networkStatus()).toEqual([
        { name: 'alice-to-bob-http', type: 'DomainRoute', totalEndpointsCount: 1, healthyEndpointsCount: 1 },
        { name: 'alice-to-carol-grpc', type: 'DomainRoute', totalEndpointsCount: 2, healthyEndpointsCount: 1 },
      ]),
    );
  });

  it('stops envoy with SIGTERM, and with SIGKILL when it ignores SIGTERM past the grace period', async () => {
    setup();
    writeFakeEnvoy(binDir);
    const dp = await launch();
    const pid = fakeEnvoyStarts(binDir)[0]!.pid;
    await dp.stop();
    expect(isAlive(pid)).toBe(false);
    expect(readFileSync(envoyFiles(stateDir).log, 'utf8')).toContain('caught SIGTERM');

    setFakeEnvoyBehaviour(binDir, { ignoreSigterm: true });
    const stubborn = await launch({ stopGraceMs: 500 });
    const pid2 = fakeEnvoyStarts(binDir)[1]!.pid;
    const began = Date.now();
    await stubborn.stop();
    expect(Date.now() - began).toBeGreaterThanOrEqual(500);
    expect(isAlive(pid2)).toBe(false);
  });

  it('restarts envoy with back-off when it dies, reporting no healthy peers while it is down', async () => {
    setup();
    writeFakeEnvoy(binDir, { clusters: clustersJson({ 'alice-to-bob-http': [true] }) });
    const dp = await launch({ backoff: new RestartBackoff({ initialMs: 300 }) });
    await eventually(() => expect(dp.networkStatus()[0]?.healthyEndpointsCount).toBe(1));
    process.kill(fakeEnvoyStarts(binDir)[0]!.pid, 'SIGKILL');
    await eventually(() => expect(dp.networkStatus()).toEqual([]), 2_000, 10);
    await eventually(() => expect(fakeEnvoyStarts(binDir)).toHaveLength(2));
    await eventually(() => expect(dp.networkStatus()[0]?.healthyEndpointsCount).toBe(1));
  });

  it('a first start that fails is an error carrying the end of envoy’s log, and is not retried', async () => {
    setup();
    writeFakeEnvoy(binDir, { exitCode: 1, stderr: "[critical] error initializing configuration 'envoy.yaml': Protobuf message has unknown fields" });
    await expect(launch({ backoff: new RestartBackoff({ initialMs: 50 }) })).rejects.toThrow(/^envoy exited before it was ready: .*Protobuf message has unknown fields$/);
    await new Promise((r) => setTimeout(r, 500));
    expect(fakeEnvoyStarts(binDir)).toHaveLength(1);
  });

  it('gives up on an envoy that never gets ready and stops it', async () => {
    setup();
    writeFakeEnvoy(binDir, { readyAfterMs: 60_000 });
    await expect(launch({ readyTimeoutMs: 700 })).rejects.toThrow(/^envoy was not ready within 700 ms \(GET http:\/\/127\.0\.0\.1:\d+\/ready\)/);
    expect(isAlive(fakeEnvoyStarts(binDir)[0]!.pid)).toBe(false);
  });

  it('ends an envoy an earlier run left behind (its ports would block the new one), but no other process', async () => {
    setup();
    const envoy = writeFakeEnvoy(binDir);
    const adminPort = await freePort();
    const files = envoyFiles(stateDir);
    await launch({ adminPort }).then((dp) => dp.stop());
    // What a SIGKILLed `kuscia start` leaves: an envoy still serving on the admin port, and its pid file.
    const orphan = spawn(envoy, ['-c', files.bootstrap], { stdio: 'ignore' });
    try {
      await eventually(() => expect(fakeEnvoyStarts(binDir)).toHaveLength(2));
      writeFileSync(files.pid, JSON.stringify({ pid: orphan.pid, bootstrap: files.bootstrap }));
      await launch({ adminPort });
      expect(isAlive(orphan.pid!)).toBe(false);
      expect(fakeEnvoyStarts(binDir)).toHaveLength(3);
    } finally {
      orphan.kill('SIGKILL');
    }

    // A pid file naming a process that is not this envoy (a reused pid) is only removed.
    await running.pop()!.stop();
    writeFileSync(files.pid, JSON.stringify({ pid: process.pid, bootstrap: files.bootstrap }));
    await launch({ adminPort });
    expect(isAlive(process.pid)).toBe(true);
  });

  it('refuses an admin port another server holds (its /ready would pass for envoy)', async () => {
    setup();
    writeFakeEnvoy(binDir);
    const other = createServer((_req, res) => res.end('LIVE'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      await expect(launch({ adminPort: port })).rejects.toThrow(`gateway envoy: admin port 127.0.0.1:${port} is already in use`);
      expect(fakeEnvoyStarts(binDir)).toEqual([]);
    } finally {
      other.close();
    }
  });
});
