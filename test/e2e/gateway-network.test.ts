import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decryptToken, TOKEN_SIZE } from '../../pkg/gateway/handshake/index.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { startCenterNetwork, type CenterNetwork } from '../support/center-network.ts';

/**
 * The gateways of a center network (`kuscia start` master and lites alice and bob, the real
 * kubectl): ClusterDomainRoutes both ways get Ready through the token handshake, a 2-party peer
 * job's traffic goes through both gateways, bob's external port refuses requests without a valid
 * token, tokens rotate with rollingUpdatePeriod, and a stopped bob makes alice's route not ready.
 */
let work: string;
let net: CenterNetwork;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuscia-gateways-'));
  net = await startCenterNetwork({ work, lites: ['alice', 'bob'] });
  await Promise.all([net.connect('alice', 'bob'), net.connect('bob', 'alice')]);
}, 120_000);

afterAll(async () => {
  await net?.stop();
  if (work) await removeDir(work);
}, 60_000);

async function jsonpath(args: string[], path: string): Promise<string> {
  const r = await net.kubectl([...args, '-o', `jsonpath=${path}`]);
  return r.code === 0 ? r.stdout.trim() : '';
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - started;
}

async function runPeerJob(name: string): Promise<void> {
  const job = {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name, namespace: 'cross-domain' },
    spec: { initiator: 'alice', tasks: [{ alias: 'ping', taskID: `${name}-ping`, appImage: 'fake-engine', taskInputConfig: '{"peer":true,"peerTimeout":30}', parties: [{ domainID: 'alice' }, { domainID: 'bob' }] }] },
  };
  await net.ok(['apply', '-f', '-'], JSON.stringify(job));
  await waitFor(`${name} to end`, async () => ['Succeeded', 'Failed'].includes(await jsonpath(['get', 'kj', name, '-n', 'cross-domain'], '{.status.phase}')), 60_000);
  const phase = await jsonpath(['get', 'kj', name, '-n', 'cross-domain'], '{.status.phase}');
  if (phase !== 'Succeeded') throw new Error(`${name} ${phase}: ${await net.ok(['get', 'kt', `${name}-ping`, '-n', 'cross-domain', '-o', 'yaml'])}`);
}

function send(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/fake-engine/ping', headers: { host: 'anything.bob.svc', ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request as a task process sends it through its gateway (HTTP proxy, absolute-form target). */
function proxied(port: number, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** alice's newest token for bob, as her gateway sends it (decrypted with alice's domain key). */
async function aliceToken(): Promise<{ revision: number; header: string }> {
  const route = JSON.parse(await net.ok(['get', 'domainroute', 'alice-bob', '-n', 'alice', '-o', 'json'])) as { status: { tokenStatus: { tokens: Array<{ revision: number; token: string }> } } };
  const newest = route.status.tokenStatus.tokens.at(-1)!;
  const config = parse(await readFile(join(work, 'alice.yaml'), 'utf8')) as { domainKeyData: string };
  const key = createPrivateKey(Buffer.from(config.domainKeyData, 'base64').toString('utf8'));
  return { revision: newest.revision, header: decryptToken(key, newest.token, TOKEN_SIZE).toString('base64') };
}

const readyOf = (cdr: string) => jsonpath(['get', 'cdr', cdr], '{.status.conditions[?(@.type=="Ready")].status}');

describe('gateways of a center network', () => {
  it('runs a 2-party peer job whose traffic goes through both gateways', async () => {
    await runPeerJob('job-peer-1');
    // Each gateway reports its peer cluster healthy in its Gateway object.
    await waitFor('Gateway networkStatus', async () => (await jsonpath(['get', 'gateways', '-n', 'alice'], '{.items[*].status.networkStatus[*].name}')).includes('alice-to-bob-http'), 30_000);
  }, 90_000);

  it("keeps a Domain-scope port of bob's from alice (404) while its Cluster-scope port answers", async () => {
    // One bob party in peer mode with no peer: it serves on both its ports for 30 s.
    const job = { apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'KusciaJob', metadata: { name: 'job-serve', namespace: 'cross-domain' }, spec: { initiator: 'bob', tasks: [{ alias: 'serve', taskID: 'job-serve-1', appImage: 'fake-engine', taskInputConfig: '{"peer":true,"sleep":30}', parties: [{ domainID: 'bob' }] }] } };
    await net.ok(['apply', '-f', '-'], JSON.stringify(job));
    await waitFor('the bob pod running', async () => (await jsonpath(['get', 'pod', 'job-serve-1-0', '-n', 'bob'], '{.status.phase}')) === 'Running', 30_000);
    const services = JSON.parse(await net.ok(['get', 'svc', '-n', 'bob', '-o', 'json'])) as { items: Array<{ metadata: { name: string; labels?: Record<string, string> } }> };
    const byScope = Object.fromEntries(services.items.filter((svc) => svc.metadata.name.startsWith('job-serve-1-0')).map((svc) => [svc.metadata.labels?.['kuscia.secretflow/port-scope'], svc.metadata.name]));
    expect(Object.keys(byScope).sort()).toEqual(['Cluster', 'Domain']);
    const viaAlice = (service: string) => proxied(net.gatewayInternalPort('alice'), `http://${service}.bob.svc/fake-engine/ping?from=alice`);
    await waitFor('the Cluster-scope port through both gateways', async () => (await viaAlice(byScope['Cluster']!)).status === 200, 15_000);
    expect((await viaAlice(byScope['Domain']!)).status).toBe(404);
    // Bob itself reaches it through its own gateway.
    expect((await proxied(net.gatewayInternalPort('bob'), `http://${byScope['Domain']}.bob.svc/fake-engine/ping?from=bob`)).status).toBe(200);
    await net.ok(['delete', 'kj', 'job-serve', '-n', 'cross-domain']);
  }, 90_000);

  it("refuses requests at bob's external port without a valid token, with Kuscia's 401 body", async () => {
    const port = net.gatewayPort('bob');
    const base = { 'Kuscia-Source': 'alice', 'Kuscia-Host': 'anything.bob.svc' };
    const none = await send(port, base);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ domain: 'bob', reason: 'unauthorized.' });
    expect((await send(port, { ...base, 'Kuscia-Token': Buffer.alloc(32, 1).toString('base64') })).status).toBe(401);
    // The real token passes the check (the host has no service, so the answer is a 404 past it).
    const { header } = await aliceToken();
    expect((await send(port, { ...base, 'Kuscia-Token': header })).status).toBe(404);
  });

  it('rotates tokens with rollingUpdatePeriod: a token two rotations old is refused and a new job still succeeds', async () => {
    const first = await aliceToken();
    await net.ok(['patch', 'cdr', 'alice-bob', '--type', 'merge', '-p', '{"spec":{"tokenConfig":{"rollingUpdatePeriod":10}}}']);
    await waitFor('two rotations', async () => (await aliceToken()).revision >= first.revision + 2, 60_000);
    await waitFor('alice-bob Ready again', async () => (await readyOf('alice-bob')) === 'True', 30_000);
    const port = net.gatewayPort('bob');
    expect((await send(port, { 'Kuscia-Source': 'alice', 'Kuscia-Host': 'anything.bob.svc', 'Kuscia-Token': first.header })).status).toBe(401);
    await net.ok(['patch', 'cdr', 'alice-bob', '--type', 'merge', '-p', '{"spec":{"tokenConfig":{"rollingUpdatePeriod":0}}}']);
    await runPeerJob('job-peer-2');
  }, 120_000);

  it("makes alice's route not ready within 30 s when bob stops, and ready again when bob is back", async () => {
    await net.stopLite('bob', 'SIGTERM');
    const notReadyAfter = await waitFor('alice-bob not Ready', async () => (await readyOf('alice-bob')) === 'False', 45_000);
    expect(notReadyAfter).toBeLessThan(30_000);
    expect(['DestinationUnreachable', 'HeartBeatTimeout']).toContain(await jsonpath(['get', 'cdr', 'alice-bob'], '{.status.conditions[?(@.type=="Ready")].reason}'));
    await net.startLite('bob');
    await waitFor('alice-bob Ready', async () => (await readyOf('alice-bob')) === 'True', 60_000);
  }, 150_000);
});
