/**
 * The Envoy data plane option inside a real gateway: alice's gateway runs `envoy` (a stand-in that
 * follows the rendered bootstrap to the gateway's xDS server and proxies with what it gets, since
 * no Envoy binary exists here), bob's the built-in data plane. A ClusterDomainRoute alice→bob gets
 * Ready, an app request leaves through alice's Envoy, alice's Gateway object reports the peer
 * cluster's health read from Envoy's admin API, and an Envoy that dies is restarted with its
 * configuration.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import type { Gateway } from '../../../pkg/crd/index.ts';
import { builtinDataPlane } from '../../../pkg/gateway/builtin-data-plane.ts';
import { envoyDataPlane } from '../../../pkg/gateway/envoy-data-plane.ts';
import { envoyFiles, readPidFile } from '../../../pkg/gateway/envoy/envoy-process.ts';
import { writeAdsFakeEnvoy } from '../../../pkg/gateway/envoy/testing/fake-envoy.ts';
import type { RunningGateway } from '../../../pkg/gateway/gateway.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { RestartBackoff } from '../../../pkg/modules/restart-backoff.ts';
import { removeDir } from '../../support/apiserver-process.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';
import { freePort } from '../../support/free-port.ts';
import { registerServedPod, setUpGatewayDomains, startTestGateway, tokenRoute } from '../../support/gateway-fixtures.ts';

const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

let env: ControllerTestEnv;
let work: string;
let binDir: string;
const gateways: RunningGateway[] = [];
const ports: Record<string, { internal: number; external: number }> = {};
let backend: Server;

function get(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  env = await startControllerTestEnv();
  work = await mkdtemp(join(tmpdir(), 'envoy-gateway-'));
  binDir = join(work, 'bin');
  writeAdsFakeEnvoy(binDir);
  const keys = await setUpGatewayDomains(env, work, ['alice', 'bob']);
  for (const domain of ['alice', 'bob']) ports[domain] = { internal: await freePort(), external: await freePort() };

  backend = createServer((req, res) => res.end(`bob served ${req.url} for ${String(req.headers['kuscia-source'])}`));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', () => resolve()));
  const backendPort = (backend.address() as AddressInfo).port;
  await registerServedPod(env, 'bob', 'task-0', backendPort, [{ service: 'task-0-fed', scope: 'Cluster', protocol: 'HTTP' }]);
  await env.clients.clusterDomainRoutes.create(tokenRoute('alice', 'bob', ports['bob']!.external));

  for (const domain of ['bob', 'alice']) {
    gateways.push(
      await startTestGateway(env, domain, keys[domain]!, ports[domain]!, {
        dataPlane:
          domain === 'alice'
            ? envoyDataPlane({ stateDir: join(work, 'alice-envoy'), nodeCluster: 'kuscia-gateway-alice', pathEnv: binDir, statsIntervalMs: 200, stopGraceMs: 3_000, backoff: new RestartBackoff({ initialMs: 200 }) })
            : builtinDataPlane,
        gatewayHeartbeatMs: 500,
        log,
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const gw of gateways.reverse()) await gw.stop();
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  await env?.stop();
  if (work) await removeDir(work);
}, 30_000);

describe("a gateway with the Envoy data plane (alice) and one with the built-in one (bob)", () => {
  it('gives Envoy a bootstrap naming this gateway as its node and its xDS server', async () => {
    const bootstrap = parse(await readFile(envoyFiles(join(work, 'alice-envoy')).bootstrap, 'utf8')) as { node: unknown };
    expect(bootstrap.node).toEqual({ id: 'kuscia-gateway-alice-gw-alice', cluster: 'kuscia-gateway-alice' });
  });

  it("gets the route Ready, and an app's request leaves through alice's Envoy to bob's service", async () => {
    await eventually(async () => {
      const cdr = await env.clients.clusterDomainRoutes.get('', 'alice-bob');
      expect(cdr.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    }, 30_000);
    await eventually(async () => expect(await get(ports['alice']!.internal, 'task-0-fed.bob.svc', '/ping')).toEqual({ status: 200, body: 'bob served /ping for alice' }), 15_000);
  }, 50_000);

  it("reports the peer cluster's health from Envoy's admin API in alice's Gateway object", async () => {
    const gatewaysClient = new ResourceClient<Gateway>(env.clients.api, KusciaResources.gateways);
    await eventually(async () => {
      const gw = await gatewaysClient.get('alice', 'gw-alice');
      expect(gw.status?.networkStatus).toContainEqual({ name: 'alice-to-bob-http', type: 'DomainRoute', totalEndpointsCount: 1, healthyEndpointsCount: 1 });
    }, 20_000);
  }, 30_000);

  it('restarts an Envoy that died, which gets its configuration again over ADS', async () => {
    const pidFile = envoyFiles(join(work, 'alice-envoy')).pid;
    const first = (await readPidFile(pidFile))!.pid;
    process.kill(first, 'SIGKILL');
    await eventually(async () => expect((await readPidFile(pidFile))?.pid).not.toBe(first), 10_000);
    await eventually(async () => expect(await get(ports['alice']!.internal, 'task-0-fed.bob.svc', '/again')).toEqual({ status: 200, body: 'bob served /again for alice' }), 20_000);
  }, 40_000);
});
