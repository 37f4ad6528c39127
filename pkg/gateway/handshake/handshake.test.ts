/**
 * Source client ↔ destination server over a real local HTTP server, with two domains' RSA keys and
 * their DomainRoutes in memory: the token both sides end up with, what each stores, what the
 * destination refuses, and how the source reacts to each heartbeat answer.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainRoute } from '../../crd/index.ts';
import { HandshakeClient, type HandshakeClientOptions } from './client.ts';
import { TOKEN_SIZE, decryptToken } from './crypto.ts';
import { DestinationState } from './messages.ts';
import { MemoryDomainRouteStore } from './memory-route-store.ts';
import { createHandshakeHandler, type HandshakeRequestListener } from './server.ts';
import { destinationRollout, domainRoute, type RoutePair } from './testing/route-fixtures.ts';

const log = pino({ level: 'silent' });
const newKey = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const aliceKey = newKey();
const bobKey = newKey();
const ROUTE = 'alice-bob';
const pair: RoutePair = { source: 'alice', destination: 'bob', sourceKey: aliceKey, destinationKey: bobKey, rollingUpdatePeriod: 600 };

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let alice: MemoryDomainRouteStore;
let bob: MemoryDomainRouteStore;
let bobRollsOut: boolean;
let recorded: Recorded[];
let handler: HandshakeRequestListener;
let server: Server;
let url: string;

beforeAll(async () => {
  // Records each request, then hands it (body replayed) to the destination handler of the test.
  server = createServer((req, res) => {
    void req.toArray().then((chunks: Buffer[]) => {
      const body = Buffer.concat(chunks);
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body.toString() });
      const replay = Object.assign(Readable.from(body.length ? [body] : []), { method: req.method, url: req.url, headers: req.headers });
      handler(replay as unknown as IncomingMessage, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  recorded = [];
  alice = new MemoryDomainRouteStore();
  bob = new MemoryDomainRouteStore();
  alice.put(domainRoute(pair, 'alice'));
  bob.put(domainRoute(pair, 'bob'));
  handler = createHandshakeHandler({ namespace: 'bob', privateKey: bobKey, routes: bob, log, readyTimeoutMs: 300, readyPollMs: 5 });
  bobRollsOut = true;
  bob.onChange((route) => {
    const status = bobRollsOut ? destinationRollout(route.status) : undefined;
    if (status) bob.put({ ...route, status });
  });
});

const client = (extra: Partial<HandshakeClientOptions> = {}) =>
  new HandshakeClient({ namespace: 'alice', privateKey: aliceKey, routes: alice, endpoint: url, log, retry: { attempts: 1, delayMs: 0 }, ...extra });
const aliceRoute = (): DomainRoute => alice.peek(ROUTE)!;
const bobRoute = (): DomainRoute => bob.peek(ROUTE)!;

describe('handshake (POST)', () => {
  it('leaves both sides with the same 32-byte token, each stored encrypted with its own key', async () => {
    const outcome = await client().initiate(aliceRoute());
    expect(outcome).toMatchObject({ done: true, revision: 1 });

    const a = aliceRoute().status!;
    expect(a.isDestinationAuthorized).toBe(true);
    expect(a.tokenStatus?.revisionToken).toMatchObject({ isReady: true, revision: 1 });
    const b = bobRoute().status!;
    expect(b.tokenStatus?.revisionToken).toMatchObject({ isReady: true, revision: 1 });
    expect(b.tokenStatus?.tokens).toHaveLength(1);

    const aliceToken = decryptToken(aliceKey, a.tokenStatus!.revisionToken!.token!, TOKEN_SIZE);
    const bobToken = decryptToken(bobKey, b.tokenStatus!.tokens![0]!.token!, TOKEN_SIZE);
    expect(aliceToken.equals(bobToken)).toBe(true);
    // Each side can read only its own copy.
    expect(() => decryptToken(bobKey, a.tokenStatus!.revisionToken!.token!, TOKEN_SIZE)).toThrow();
    expect(() => decryptToken(aliceKey, b.tokenStatus!.revisionToken!.token!, TOKEN_SIZE)).toThrow();
  });

  it('expires after two rolling periods on both sides (and in 100 years without rolling)', async () => {
    const before = Date.now();
    await client().initiate(aliceRoute());
    const expiry = (r: DomainRoute) => Date.parse(r.status!.tokenStatus!.revisionToken!.expirationTime!);
    expect(expiry(aliceRoute())).toBe(expiry(bobRoute()));
    expect(expiry(bobRoute()) - before).toBeGreaterThan(1_199_000);
    expect(expiry(bobRoute()) - before).toBeLessThan(1_201_000);

    const forever = { ...pair, rollingUpdatePeriod: 0 };
    alice.put(domainRoute(forever, 'alice'));
    bob.put(domainRoute(forever, 'bob'));
    await client().initiate(aliceRoute());
    expect(new Date(expiry(aliceRoute())).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 100);
    expect(new Date(expiry(bobRoute())).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 100);
  });

  it('sends what Kuscia sends: snake_case JSON, the routing headers, the first port’s path prefix', async () => {
    const prefixed = { ...pair, pathPrefix: '/bob-gw/' };
    alice.put(domainRoute(prefixed, 'alice'));
    bob.put(domainRoute(prefixed, 'bob'));
    // Kuscia's handshake server serves /handshake; here it plays the proxy that kept the prefix.
    handler = createHandshakeHandler({ namespace: 'bob', privateKey: bobKey, routes: bob, log, readyPollMs: 5, path: '/bob-gw/handshake' });
    await client().initiate(aliceRoute());
    const [post] = recorded;
    expect(post).toMatchObject({ method: 'POST', url: '/bob-gw/handshake' });
    expect(post!.headers).toMatchObject({
      'kuscia-source': 'alice',
      'kuscia-host': 'kuscia-handshake.bob.svc',
      'kuscia-handshake-cluster': 'alice-to-bob-http',
      'content-type': 'application/json',
    });
    expect(Object.keys(JSON.parse(post!.body))).toEqual(['domain_id', 'type', 'token_config', 'request_time']);
    expect(JSON.parse(post!.body)).toMatchObject({ domain_id: 'alice', type: 'RSA', token_config: { pubhash: expect.any(String), token: expect.any(String) } });
  });

  it('issues a new revision and a new token on every handshake', async () => {
    const c = client();
    await c.initiate(aliceRoute());
    const first = decryptToken(aliceKey, aliceRoute().status!.tokenStatus!.revisionToken!.token!, TOKEN_SIZE);
    await c.initiate(aliceRoute());
    const second = decryptToken(aliceKey, aliceRoute().status!.tokenStatus!.revisionToken!.token!, TOKEN_SIZE);
    expect(aliceRoute().status!.tokenStatus!.revisionToken!.revision).toBe(2);
    expect(bobRoute().status!.tokenStatus!.tokens!.map((t) => t.revision)).toEqual([1, 2]);
    expect(first.equals(second)).toBe(false);
    expect(decryptToken(bobKey, bobRoute().status!.tokenStatus!.tokens![1]!.token!, TOKEN_SIZE).equals(second)).toBe(true);
  });

  it('is refused when the destination holds another source key (pubhash mismatch), changing nothing', async () => {
    bob.put(domainRoute({ ...pair, sourceKey: newKey() }, 'bob'));
    await expect(client().initiate(aliceRoute())).rejects.toThrow('source domain [alice] publickey hash mismatch in domainroute [alice-bob]');
    expect(bobRoute().status).toBeUndefined();
    expect(aliceRoute().status).toBeUndefined();
  });

  it('is refused when the source encrypted for a wrong destination key', async () => {
    alice.put(domainRoute({ ...pair, destinationKey: newKey() }, 'alice'));
    await expect(client().initiate(aliceRoute())).rejects.toThrow('dest domain [bob] publickey in source domain [alice] may be not correct');
  });

  it('answers 500 "not found" for a route the destination does not have', async () => {
    bob.delete(ROUTE);
    await expect(client().initiate(aliceRoute())).rejects.toThrow('domainRoute [alice-bob] not found in dest domain [bob]');
  });

  it('fails when the destination never marks the revision ready', async () => {
    bobRollsOut = false;
    await expect(client().initiate(aliceRoute())).rejects.toThrow(/wait token ready in dest domain \[bob\] error: wait dr alice-bob token ready failed at max retry times:60/);
    expect(aliceRoute().status).toBeUndefined();
  });

  it('refuses a type that does not match the route’s tokenGenMethod', async () => {
    bob.put(domainRoute({ ...pair, tokenGenMethod: 'UID-RSA-GEN' }, 'bob'));
    await expect(client().initiate(aliceRoute())).rejects.toThrow('handshake type [RSA] mismatch in domainroute [UID-RSA-GEN]');
  });

  it('UID-RSA-GEN: the destination makes the whole token and hands out the same one until it rolls', async () => {
    const uid = { ...pair, tokenGenMethod: 'UID-RSA-GEN' as const };
    alice.put(domainRoute(uid, 'alice'));
    bob.put(domainRoute(uid, 'bob'));
    await client().initiate(aliceRoute());
    const first = decryptToken(aliceKey, aliceRoute().status!.tokenStatus!.revisionToken!.token!, TOKEN_SIZE);
    expect(first.equals(decryptToken(bobKey, bobRoute().status!.tokenStatus!.revisionToken!.token!, TOKEN_SIZE))).toBe(true);
    await client().initiate(aliceRoute());
    expect(decryptToken(aliceKey, aliceRoute().status!.tokenStatus!.revisionToken!.token!, TOKEN_SIZE).equals(first)).toBe(true);
    expect(aliceRoute().status!.tokenStatus!.revisionToken!.revision).toBe(2);
  });

  it('does nothing when the route names another source key than this domain’s (as Kuscia)', async () => {
    alice.put(domainRoute({ ...pair, sourceKey: newKey() }, 'alice'));
    expect(await client().initiate(aliceRoute())).toEqual({ done: false, reason: 'mismatch source public key' });
    expect(recorded).toHaveLength(0);
  });

  it('shares one handshake between concurrent triggers for the same route', async () => {
    const c = client();
    const [a, b] = await Promise.all([c.initiate(aliceRoute()), c.initiate(aliceRoute())]);
    expect(a).toEqual(b);
    expect(recorded.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('heartbeat (GET)', () => {
  beforeEach(async () => {
    await client().initiate(aliceRoute());
    recorded = [];
  });

  it('TokenReady: marks the source token ready and stamps heartBeatTime on the destination token', async () => {
    await alice.updateStatus(ROUTE, (r) => {
      r.status!.tokenStatus!.revisionToken!.isReady = false;
    });
    const outcome = await client().heartbeat(aliceRoute());
    expect(outcome).toEqual({ reachable: true, state: DestinationState.TokenReady });
    expect(aliceRoute().status!.tokenStatus!.revisionToken!.isReady).toBe(true);
    expect(bobRoute().status!.tokenStatus!.tokens![0]!.heartBeatTime).toBeDefined();
    expect(recorded[0]).toMatchObject({ method: 'GET', url: '/handshake' });
    expect(recorded[0]!.headers).toMatchObject({ 'kuscia-source': 'alice', 'kuscia-token-revision': '1', 'kuscia-host': 'kuscia-handshake.bob.svc' });
  });

  it('TokenNotFound after the destination forgot the revision: the source clears its token status', async () => {
    await bob.updateStatus(ROUTE, (r) => {
      r.status!.tokenStatus = {};
    });
    const outcome = await client().heartbeat(aliceRoute());
    expect(outcome.state).toBe(DestinationState.TokenNotFound);
    expect(aliceRoute().status!.tokenStatus).toEqual({});
    expect(aliceRoute().status!.isDestinationAuthorized).toBe(true);
  });

  it('NoAuthentication when the destination has no route: not authorized, tokens cleared', async () => {
    bob.delete(ROUTE);
    const outcome = await client().heartbeat(aliceRoute());
    expect(outcome.state).toBe(DestinationState.NoAuthentication);
    expect(aliceRoute().status).toEqual({ isDestinationAuthorized: false, tokenStatus: {} });
  });

  it('TokenNotReady leaves the source as it is', async () => {
    await bob.updateStatus(ROUTE, (r) => {
      r.status!.tokenStatus!.tokens![0]!.isReady = false;
    });
    const before = aliceRoute().status;
    expect(await client().heartbeat(aliceRoute())).toMatchObject({ reachable: true, state: DestinationState.TokenNotReady, problem: 'alice-bob destination token is not ready' });
    expect(aliceRoute().status).toEqual(before);
  });

  it('an answer about an older revision does not touch a newer handshake', async () => {
    const stale = aliceRoute();
    await bob.updateStatus(ROUTE, (r) => {
      r.status!.tokenStatus = {};
    });
    await alice.updateStatus(ROUTE, (r) => {
      r.status!.tokenStatus!.revisionToken!.revision = 7;
    });
    await client().heartbeat(stale);
    expect(aliceRoute().status!.tokenStatus!.revisionToken!.revision).toBe(7);
  });

  it('unreachable once heartbeats fail for the expiry period; reachable again at the next answer', async () => {
    let now = 1_000_000;
    const down = client({ endpoint: 'http://127.0.0.1:1', now: () => now, unreachableAfterMs: 45_000 });
    expect((await down.heartbeat(aliceRoute())).reachable).toBe(false);
    expect(aliceRoute().status!.isDestinationUnreachable).toBeUndefined();
    now += 46_000;
    expect((await down.heartbeat(aliceRoute())).problem).toMatch(/send request error/);
    expect(aliceRoute().status!.isDestinationUnreachable).toBe(true);

    expect((await client().heartbeat(aliceRoute())).state).toBe(DestinationState.TokenReady);
    expect(aliceRoute().status!.isDestinationUnreachable).toBe(false);
  });
});

describe('the destination handler on the wire', () => {
  const get = (headers: Record<string, string>, path = '/handshake') => fetch(`${url}${path}`, { headers });

  afterEach(() => {
    recorded = [];
  });

  it('answers the heartbeat states for missing or unknown inputs', async () => {
    const state = async (headers: Record<string, string>) => ((await (await get(headers)).json()) as { state: number }).state;
    expect(await state({})).toBe(DestinationState.DomainIDInputInvalid);
    expect(await state({ 'Kuscia-Source': 'alice' })).toBe(DestinationState.TokenRevisionInputInvalid);
    expect(await state({ 'Kuscia-Source': 'alice', 'Kuscia-Token-Revision': '1' })).toBe(DestinationState.TokenNotFound);
    expect(await state({ 'Kuscia-Source': 'carol', 'Kuscia-Token-Revision': '1' })).toBe(DestinationState.NoAuthentication);
    // Kuscia-Origin-Source (set by the source's internal listener) wins over Kuscia-Source.
    expect(await state({ 'Kuscia-Origin-Source': 'carol', 'Kuscia-Source': 'alice', 'Kuscia-Token-Revision': '1' })).toBe(DestinationState.NoAuthentication);
    const res = await get({});
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"namespace":"bob","state":1}\n');
  });

  it('answers Go’s 400 for a body that is not a HandShakeRequest and 404 for other paths', async () => {
    const bad = await fetch(`${url}/handshake`, { method: 'POST', body: '{"domain_id":1}' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await bad.text()).toBe('json: cannot unmarshal number into Go struct field HandShakeRequest.domain_id of type string\n');
    const empty = await fetch(`${url}/handshake`, { method: 'POST' });
    expect(await empty.text()).toBe('EOF\n');
    const other = await get({}, '/handshakes');
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('404 page not found\n');
  });

  it('answers an unknown route with HTTP 200 and status code 500', async () => {
    const res = await fetch(`${url}/handshake`, { method: 'POST', body: '{"domain_id":"carol","type":"RSA"}' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":{"code":500,"message":"domainRoute [carol-bob] not found in dest domain [bob]"}}\n');
  });
});
