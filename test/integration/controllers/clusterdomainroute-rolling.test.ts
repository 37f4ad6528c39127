/**
 * Both route controllers together, with a fake clock and the test playing the gateways' handshake
 * the way pkg/gateway/handshake does it: a ClusterDomainRoute alice→bob becomes Ready after the
 * first handshake, rotates after its rolling period, and ends with both sides holding the last two
 * revisions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClusterDomainRouteController } from '../../../pkg/controllers/clusterdomainroute/index.ts';
import { makeDomainCert } from '../../../pkg/controllers/clusterdomainroute/testing/domain-cert.ts';
import { rfc3339 } from '../../../pkg/controllers/common/controller-context.ts';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import { newDomainRouteController } from '../../../pkg/controllers/domainroute/index.ts';
import type { DomainRoute, DomainRouteToken, Gateway } from '../../../pkg/crd/index.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

const API_VERSION = 'kuscia.secretflow/v1alpha1';
const PERIOD_S = 600;

let env: ControllerTestEnv;
let clock = Date.parse('2025-06-01T10:00:00Z');
let domainRoutes: ResourceClient<DomainRoute>;
let gateways: ResourceClient<Gateway>;

beforeAll(async () => {
  env = await startControllerTestEnv();
  domainRoutes = new ResourceClient(env.clients.api, KusciaResources.domainRoutes);
  gateways = new ResourceClient(env.clients.api, KusciaResources.gateways);
  await env.createNamespaces('alice', 'bob');
  for (const name of ['alice', 'bob']) {
    await env.clients.domains.create({ apiVersion: API_VERSION, kind: 'Domain', metadata: { name }, spec: { cert: (await makeDomainCert(name)).certBase64 } });
  }
  const ctx = env.context(() => clock);
  await env.startControllers(ctx, [newClusterDomainRouteController(ctx, { statusSyncIntervalMs: 100 }), newDomainRouteController(ctx, { resyncIntervalMs: 100 })]);
});

afterAll(async () => {
  await env?.stop();
});

async function heartbeat(namespace: string, name: string): Promise<void> {
  let gw: Gateway;
  try {
    gw = await gateways.get(namespace, name);
  } catch {
    gw = await gateways.create({ apiVersion: API_VERSION, kind: 'Gateway', metadata: { name, namespace } });
  }
  await gateways.replaceStatus({ ...gw, status: { address: '127.0.0.1', heartbeatTime: rfc3339(clock) } });
}

async function updateRouteStatus(namespace: string, mutate: (dr: DomainRoute) => DomainRoute['status']): Promise<void> {
  const dr = await domainRoutes.get(namespace, 'alice-bob');
  await domainRoutes.replaceStatus({ ...dr, status: mutate(dr) });
}

const revisionOf = async (namespace: string) => (await domainRoutes.get(namespace, 'alice-bob')).status?.tokenStatus?.revisionToken;

/**
 * One handshake of the initializer gateway: the destination stores revision+1 (not ready), its
 * gateway loads it, the destination's DomainRoute controller marks it ready, then the source stores
 * the same revision as ready.
 */
async function handshake(): Promise<number> {
  const source = await revisionOf('alice');
  expect(source?.isReady).toBe(false);
  const revision = (source?.revision ?? 0) + 1;
  const token = (isReady: boolean): DomainRouteToken => ({ revision, isReady, token: `encrypted-${revision}`, revisionTime: rfc3339(clock), expirationTime: rfc3339(clock + 2 * PERIOD_S * 1000) });
  await updateRouteStatus('bob', (dr) => ({ ...dr.status, tokenStatus: { ...dr.status?.tokenStatus, revisionToken: token(false) } }));
  await eventually(async () => expect((await domainRoutes.get('bob', 'alice-bob')).status?.tokenStatus?.tokens?.at(-1)?.revision).toBe(revision));
  await updateRouteStatus('bob', (dr) => {
    const tokens = dr.status!.tokenStatus!.tokens!;
    return { ...dr.status, tokenStatus: { ...dr.status?.tokenStatus, tokens: [...tokens.slice(0, -1), { ...tokens.at(-1)!, effectiveInstances: ['gw-bob'] }] } };
  });
  await eventually(async () => expect((await revisionOf('bob'))?.isReady).toBe(true));
  await updateRouteStatus('alice', (dr) => ({ ...dr.status, isDestinationAuthorized: true, tokenStatus: { ...dr.status?.tokenStatus, revisionToken: token(true) } }));
  return revision;
}

describe('ClusterDomainRoute with token rotation', () => {
  it('is Ready after the first handshake and rotates after its period, keeping two revisions', async () => {
    await heartbeat('alice', 'gw-alice');
    await heartbeat('bob', 'gw-bob');
    await env.clients.clusterDomainRoutes.create({
      apiVersion: API_VERSION,
      kind: 'ClusterDomainRoute',
      metadata: { name: 'alice-bob' },
      spec: {
        source: 'alice',
        destination: 'bob',
        endpoint: { host: 'bob.example', ports: [{ name: 'http', protocol: 'HTTP', port: 1080 }] },
        authenticationType: 'Token',
        tokenConfig: { tokenGenMethod: 'RSA-GEN', rollingUpdatePeriod: PERIOD_S },
      },
    });
    // The DomainRoute controller names alice's gateway to start the handshake.
    await eventually(async () => expect((await domainRoutes.get('alice', 'alice-bob')).status?.tokenStatus?.revisionInitializer).toBe('gw-alice'));

    expect(await handshake()).toBe(1);
    await eventually(async () => {
      const cdr = await env.clients.clusterDomainRoutes.get('', 'alice-bob');
      expect(cdr.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', message: 'Success' });
      expect(cdr.status?.tokenStatus?.sourceTokens?.map((t) => t.revision)).toEqual([1]);
    });

    // The period passes: a new revision is started; the route stays Ready on the tokens it has.
    clock += (PERIOD_S + 1) * 1000;
    await heartbeat('alice', 'gw-alice');
    await heartbeat('bob', 'gw-bob');
    await eventually(async () => expect(await revisionOf('alice')).toMatchObject({ isReady: false, revision: 1, revisionTime: rfc3339(clock) }));
    expect((await env.clients.clusterDomainRoutes.get('', 'alice-bob')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    expect(await handshake()).toBe(2);
    await eventually(async () => {
      const cdr = await env.clients.clusterDomainRoutes.get('', 'alice-bob');
      expect(cdr.status?.tokenStatus?.sourceTokens?.map((t) => t.revision)).toEqual([1, 2]);
      expect(cdr.status?.tokenStatus?.destinationTokens?.map((t) => t.revision)).toEqual([1, 2]);
      expect(cdr.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', message: 'Success' });
    });
  });
});
