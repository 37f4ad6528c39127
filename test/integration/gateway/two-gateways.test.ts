/**
 * Two domain gateways (alice, bob) with the built-in data plane, the route controllers and the API
 * server in this process: a ClusterDomainRoute alice→bob becomes Ready through the real RSA-GEN
 * handshake over both data planes, an app request from alice reaches a bob service through both
 * gateways with alice's identity, and bob's external port refuses requests without a valid token
 * with Kuscia's 401 body.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import type { DomainRoute } from '../../../pkg/crd/index.ts';
import { builtinDataPlane } from '../../../pkg/gateway/builtin-data-plane.ts';
import type { RunningGateway } from '../../../pkg/gateway/gateway.ts';
import { decryptToken, TOKEN_SIZE } from '../../../pkg/gateway/handshake/index.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { removeDir } from '../../support/apiserver-process.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';
import { freePort } from '../../support/free-port.ts';
import { registerServedPod, setUpGatewayDomains, startTestGateway, tokenRoute } from '../../support/gateway-fixtures.ts';

const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

let env: ControllerTestEnv;
let work: string;
const gateways: RunningGateway[] = [];
const ports: Record<string, { internal: number; external: number }> = {};
let backend: Server;
let backendPort: number;
let lastBackendHeaders: IncomingHttpHeaders | undefined;
const keys: Record<string, string> = {};

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(port: number, host: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  env = await startControllerTestEnv();
  work = await mkdtemp(join(tmpdir(), 'two-gateways-'));
  Object.assign(keys, await setUpGatewayDomains(env, work, ['alice', 'bob']));
  for (const domain of ['alice', 'bob']) ports[domain] = { internal: await freePort(), external: await freePort() };

  // A service of bob's: an HTTP server standing for a task pod, behind a Cluster-scope Service
  // (alice may call it) and a Domain-scope one (only bob may).
  backend = createServer((req, res) => {
    lastBackendHeaders = req.headers;
    res.setHeader('content-type', 'text/plain');
    res.end(`bob served ${req.url}`);
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', () => resolve()));
  backendPort = (backend.address() as AddressInfo).port;
  await registerServedPod(env, 'bob', 'task-0', backendPort, [
    { service: 'task-0-fed', scope: 'Cluster', protocol: 'HTTP', accessDomains: 'alice' },
    { service: 'task-0-inner', scope: 'Domain', protocol: 'HTTP' },
  ]);

  for (const domain of ['alice', 'bob']) {
    gateways.push(
      await startTestGateway(env, domain, keys[domain]!, ports[domain]!, { dataPlane: builtinDataPlane, gatewayHeartbeatMs: 1_000, log }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const gw of gateways.reverse()) await gw.stop();
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  await env?.stop();
  if (work) await removeDir(work);
}, 30_000);

describe('two gateways over a ClusterDomainRoute alice→bob', () => {
  it('gets Ready through the RSA-GEN handshake over both data planes', async () => {
    await env.clients.clusterDomainRoutes.create(tokenRoute('alice', 'bob', ports['bob']!.external));
    await eventually(async () => {
      const cdr = await env.clients.clusterDomainRoutes.get('', 'alice-bob');
      expect(cdr.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    }, 30_000);
    const routes = new ResourceClient<DomainRoute>(env.clients.api, KusciaResources.domainRoutes);
    const [src, dst] = [await routes.get('alice', 'alice-bob'), await routes.get('bob', 'alice-bob')];
    expect(src.status?.tokenStatus?.tokens?.at(-1)?.revision).toBe(dst.status?.tokenStatus?.tokens?.at(-1)?.revision);
    expect(dst.status?.tokenStatus?.tokens?.at(-1)?.effectiveInstances).toContain('gw-bob');
  }, 40_000);

  it("routes alice's request for a bob service through both gateways with alice's identity", async () => {
    let reply: Reply | undefined;
    await eventually(async () => {
      reply = await get(ports['alice']!.internal, 'task-0-fed.bob.svc:8080', '/ping');
      expect(reply.status).toBe(200);
    }, 15_000);
    expect(reply!.body).toBe('bob served /ping');
    expect(lastBackendHeaders?.['kuscia-source']).toBe('alice');
    // The token authenticated the hop and stays between the gateways.
    expect(lastBackendHeaders?.['kuscia-token']).toBeUndefined();
    // A Domain-scope port of bob's is not there for alice.
    const inner = await get(ports['alice']!.internal, 'task-0-inner.bob.svc', '/ping');
    expect(inner.status).toBe(404);
    expect((await get(ports['bob']!.internal, 'task-0-inner.bob.svc', '/ping')).status).toBe(200);
  });

  it("refuses requests at bob's external port without a valid token, with Kuscia's 401 body", async () => {
    const external = ports['bob']!.external;
    const noToken = await get(external, 'task-0-fed.bob.svc', '/ping', { 'Kuscia-Source': 'alice', 'Kuscia-Host': 'task-0-fed.bob.svc' });
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body)).toEqual({ domain: 'bob', instance: 'gw-bob', kuscia: 'test', reason: 'unauthorized.' });
    const forged = await get(external, 'task-0-fed.bob.svc', '/ping', { 'Kuscia-Source': 'alice', 'Kuscia-Host': 'task-0-fed.bob.svc', 'Kuscia-Token': Buffer.alloc(32, 7).toString('base64') });
    expect(forged.status).toBe(401);
    // The handshake's token itself (as alice's gateway holds it) is accepted, only with alice as source.
    const routes = new ResourceClient<DomainRoute>(env.clients.api, KusciaResources.domainRoutes);
    const stored = (await routes.get('alice', 'alice-bob')).status!.tokenStatus!.tokens!.at(-1)!.token!;
    const token = decryptToken(createPrivateKey(keys['alice']!), stored, TOKEN_SIZE).toString('base64');
    const valid = await get(external, 'task-0-fed.bob.svc', '/ping', { 'Kuscia-Source': 'alice', 'Kuscia-Host': 'task-0-fed.bob.svc', 'Kuscia-Token': token });
    expect([valid.status, valid.body]).toEqual([200, 'bob served /ping']);
    const otherSource = await get(external, 'task-0-fed.bob.svc', '/ping', { 'Kuscia-Source': 'carol', 'Kuscia-Host': 'task-0-fed.bob.svc', 'Kuscia-Token': token });
    expect(otherSource.status).toBe(401);
  });
});
