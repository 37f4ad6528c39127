/**
 * The handshake on real DomainRoute objects in the embedded API server: the destination's HTTP
 * handler and the source's client each read and write their own namespace's DomainRoute through
 * the Kubernetes API (CRD schema, status subresource), while a stand-in for the destination's
 * DomainRoute controller rolls each new revision out and marks it ready.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DomainRoute } from '../../../pkg/crd/index.ts';
import { HandshakeClient } from '../../../pkg/gateway/handshake/client.ts';
import { TOKEN_SIZE, decryptToken } from '../../../pkg/gateway/handshake/crypto.ts';
import { domainRouteClient, kubeDomainRouteStore } from '../../../pkg/gateway/handshake/kube-route-store.ts';
import { DestinationState } from '../../../pkg/gateway/handshake/messages.ts';
import { createHandshakeHandler } from '../../../pkg/gateway/handshake/server.ts';
import { destinationRollout, domainRoute, type RoutePair } from '../../../pkg/gateway/handshake/testing/route-fixtures.ts';
import type { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';

const aliceKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const bobKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const pair: RoutePair = { source: 'alice', destination: 'bob', sourceKey: aliceKey, destinationKey: bobKey, rollingUpdatePeriod: 300 };

let env: ControllerTestEnv;
let routes: ResourceClient<DomainRoute>;
let server: Server;
let url: string;
let rollout: NodeJS.Timeout;

beforeAll(async () => {
  env = await startControllerTestEnv();
  await env.createNamespaces('alice', 'bob');
  routes = domainRouteClient(env.clients.api);
  await routes.create(domainRoute(pair, 'alice'));
  await routes.create(domainRoute(pair, 'bob'));

  const handler = createHandshakeHandler({ namespace: 'bob', privateKey: bobKey, routes: kubeDomainRouteStore(routes, 'bob'), log: env.log, readyPollMs: 50 });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rollout = setInterval(() => void rollOutBobRevision(), 50);
});

afterAll(async () => {
  clearInterval(rollout);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await env?.stop();
});

/** What bob's DomainRoute controller does for a new revision (see route-fixtures). */
async function rollOutBobRevision(): Promise<void> {
  try {
    const dr = await routes.get('bob', 'alice-bob');
    const status = destinationRollout(dr.status);
    if (status) await routes.replaceStatus({ ...dr, status });
  } catch {
    // Not there (yet or any more), or a concurrent write: the next tick looks again.
  }
}

const client = () => new HandshakeClient({ namespace: 'alice', privateKey: aliceKey, routes: kubeDomainRouteStore(routes, 'alice'), endpoint: url, log: env.log });

it('stores the same token on both sides, in the DomainRoute status fields Kuscia uses', async () => {
  const outcome = await client().initiate(await routes.get('alice', 'alice-bob'));
  expect(outcome).toMatchObject({ done: true, revision: 1 });

  const a = (await routes.get('alice', 'alice-bob')).status!;
  const b = (await routes.get('bob', 'alice-bob')).status!;
  expect(a.isDestinationAuthorized).toBe(true);
  expect(a.tokenStatus!.revisionToken).toMatchObject({ isReady: true, revision: 1, revisionTime: expect.stringMatching(/Z$/), expirationTime: b.tokenStatus!.revisionToken!.expirationTime });
  expect(b.tokenStatus!.tokens).toHaveLength(1);
  const aliceToken = decryptToken(aliceKey, a.tokenStatus!.revisionToken!.token!, TOKEN_SIZE);
  const bobToken = decryptToken(bobKey, b.tokenStatus!.tokens![0]!.token!, TOKEN_SIZE);
  expect(aliceToken.equals(bobToken)).toBe(true);
  expect(Date.parse(b.tokenStatus!.revisionToken!.expirationTime!) - Date.parse(b.tokenStatus!.revisionToken!.revisionTime!)).toBe(600_000);
});

it('heartbeats stamp the destination token; a second handshake moves both sides to revision 2', async () => {
  const c = client();
  expect((await c.heartbeat(await routes.get('alice', 'alice-bob'))).state).toBe(DestinationState.TokenReady);
  expect((await routes.get('bob', 'alice-bob')).status!.tokenStatus!.tokens![0]!.heartBeatTime).toMatch(/Z$/);

  await c.initiate(await routes.get('alice', 'alice-bob'));
  const a = (await routes.get('alice', 'alice-bob')).status!;
  const b = (await routes.get('bob', 'alice-bob')).status!;
  expect(a.tokenStatus!.revisionToken!.revision).toBe(2);
  expect(b.tokenStatus!.tokens!.map((t) => t.revision)).toEqual([1, 2]);
  expect(decryptToken(aliceKey, a.tokenStatus!.revisionToken!.token!, TOKEN_SIZE).equals(decryptToken(bobKey, b.tokenStatus!.tokens![1]!.token!, TOKEN_SIZE))).toBe(true);
});

it('when the destination deletes its route, the heartbeat makes the source not authorized', async () => {
  await routes.delete('bob', 'alice-bob');
  expect((await client().heartbeat(await routes.get('alice', 'alice-bob'))).state).toBe(DestinationState.NoAuthentication);
  const a = (await routes.get('alice', 'alice-bob')).status!;
  expect(a.isDestinationAuthorized).toBe(false);
  expect(a.tokenStatus ?? {}).toEqual({});
  await expect(client().initiate(await routes.get('alice', 'alice-bob'))).rejects.toThrow('domainRoute [alice-bob] not found in dest domain [bob]');
});
