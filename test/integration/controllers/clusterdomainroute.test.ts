/**
 * The ClusterDomainRoute controller alone on the embedded API server: what an operator sees after
 * applying a ClusterDomainRoute — DomainRoutes in the domains' namespaces carrying the domains'
 * public keys, the Ready condition and its reasons as the DomainRoutes' tokens change (the gateways'
 * part is played by the test), endpoint health from Gateway objects, the InteropConfig of a peer
 * control plane, refusals that show as conditions, and garbage collection. The clock is fake, so
 * timeouts are tested without waiting for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClusterDomainRouteController } from '../../../pkg/controllers/clusterdomainroute/index.ts';
import { keyOfKusciaPublicKey, makeDomainCert, type DomainCert } from '../../../pkg/controllers/clusterdomainroute/testing/domain-cert.ts';
import { rfc3339 } from '../../../pkg/controllers/common/controller-context.ts';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import { Labels, type ClusterDomainRoute, type Domain, type DomainRoute, type DomainRouteSpec, type DomainRouteStatus, type Gateway, type InteropConfig } from '../../../pkg/crd/index.ts';
import { isNotFound } from '../../../pkg/kube/api-errors.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { CoreResources } from '../../../pkg/kube/resources.ts';
import type { ApiObject } from '../../../pkg/kube/wire.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { requestAs } from '../../support/credential-client.ts';
import { eventually } from '../../support/eventually.ts';

const API_VERSION = 'kuscia.secretflow/v1alpha1';
const STATUS_SYNC_MS = 100;

let env: ControllerTestEnv;
let clock = Date.now();
const certs: Record<string, DomainCert> = {};
let domainRoutes: ResourceClient<DomainRoute>;
let gateways: ResourceClient<Gateway>;
let interopConfigs: ResourceClient<InteropConfig>;

beforeAll(async () => {
  env = await startControllerTestEnv();
  domainRoutes = new ResourceClient(env.clients.api, KusciaResources.domainRoutes);
  gateways = new ResourceClient(env.clients.api, KusciaResources.gateways);
  interopConfigs = new ResourceClient(env.clients.api, KusciaResources.interopConfigs);
  const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((d) => makeDomainCert(d)));
  Object.assign(certs, { alice, bob, carol });
  await env.createNamespaces('alice', 'bob', 'dave');
  await createDomain('alice', { cert: certs['alice']!.certBase64 });
  await createDomain('bob', { cert: certs['bob']!.certBase64 });
  // A peer control plane in P2P (partner, its own master) and a partner whose master is itself.
  await createDomain('carol', { role: 'partner', master: 'carol', interConnProtocols: ['kuscia'], cert: certs['carol']!.certBase64 });
  await createDomain('dave', { role: 'partner', interConnProtocols: ['kuscia'] });
  // What the Domain controller gives a P2P peer: ServiceAccount `<domain>` in its namespace.
  await new ResourceClient<ApiObject>(env.clients.api, CoreResources.serviceAccounts).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'dave', namespace: 'dave' } } as ApiObject);

  const ctx = env.context(() => clock);
  await env.startControllers(ctx, [newClusterDomainRouteController(ctx, { statusSyncIntervalMs: STATUS_SYNC_MS })]);
});

afterAll(async () => {
  await env?.stop();
});

function createDomain(name: string, spec: Domain['spec']): Promise<Domain> {
  return env.clients.domains.create({ apiVersion: API_VERSION, kind: 'Domain', metadata: { name }, spec });
}

const tokenRoute = (source: string, destination: string, extra: Partial<DomainRouteSpec> = {}): DomainRouteSpec => ({
  source,
  destination,
  interConnProtocol: 'kuscia',
  endpoint: { host: `${destination}.example`, ports: [{ name: 'http', protocol: 'HTTP', port: 1080 }] },
  authenticationType: 'Token',
  tokenConfig: { tokenGenMethod: 'RSA-GEN', rollingUpdatePeriod: 0 },
  ...extra,
});

function createRoute(name: string, spec: DomainRouteSpec): Promise<ClusterDomainRoute> {
  return env.clients.clusterDomainRoutes.create({ apiVersion: API_VERSION, kind: 'ClusterDomainRoute', metadata: { name }, spec });
}

const getRoute = (name: string) => env.clients.clusterDomainRoutes.get('', name);
const ready = async (name: string) => (await getRoute(name)).status?.conditions?.find((c) => c.type === 'Ready');

async function absent(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

/** Plays a gateway: writes a DomainRoute's status as the handshake would. */
async function writeRouteStatus(namespace: string, name: string, status: DomainRouteStatus): Promise<void> {
  const dr = await domainRoutes.get(namespace, name);
  await domainRoutes.replaceStatus({ ...dr, status });
}

const readyToken = (revision: number, heartbeatMs?: number) => ({
  revision,
  isReady: true,
  token: `encrypted-${revision}`,
  revisionTime: rfc3339(clock),
  expirationTime: rfc3339(clock + 3_600_000),
  ...(heartbeatMs === undefined ? {} : { heartBeatTime: rfc3339(heartbeatMs) }),
});

describe('ClusterDomainRoute controller', () => {
  it('creates the DomainRoute on both sides with the public keys of the domains', async () => {
    const cdr = await createRoute('alice-bob', tokenRoute('alice', 'bob'));

    let routes: DomainRoute[] = [];
    await eventually(async () => {
      routes = await Promise.all([domainRoutes.get('alice', 'alice-bob'), domainRoutes.get('bob', 'alice-bob')]);
    });
    const stored = await getRoute('alice-bob');
    expect(stored.metadata.labels).toEqual({ [Labels.ClusterDomainRouteSource]: 'alice', [Labels.ClusterDomainRouteDestination]: 'bob' });
    const tc = stored.spec!.tokenConfig!;
    expect(keyOfKusciaPublicKey(tc.sourcePublicKey!)).toMatchObject({ pemLabel: 'RSA PUBLIC KEY' });
    expect(keyOfKusciaPublicKey(tc.sourcePublicKey!).key.equals(certs['alice']!.publicKey)).toBe(true);
    expect(keyOfKusciaPublicKey(tc.destinationPublicKey!).key.equals(certs['bob']!.publicKey)).toBe(true);

    for (const dr of routes) {
      expect(dr.spec).toEqual(stored.spec);
      expect(dr.metadata.labels).toEqual(stored.metadata.labels);
      expect(dr.metadata.ownerReferences).toEqual([{ apiVersion: API_VERSION, kind: 'ClusterDomainRoute', name: 'alice-bob', uid: cdr.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    // No handshake yet: the destination has not authorized the source.
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'False', reason: 'DestinationIsNotAuthrized', message: 'TokenNotGenerate' }));
  });

  it('is Ready once both sides hold the same token revision, and says why not otherwise', async () => {
    await writeRouteStatus('alice', 'alice-bob', { isDestinationAuthorized: true, tokenStatus: { tokens: [] } });
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'False', reason: 'TokenNotGenerate' }));

    await writeRouteStatus('alice', 'alice-bob', { isDestinationAuthorized: true, tokenStatus: { tokens: [readyToken(1)] } });
    await writeRouteStatus('bob', 'alice-bob', { tokenStatus: { tokens: [readyToken(1)] } });
    await eventually(async () => {
      const cdr = await getRoute('alice-bob');
      expect(cdr.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', message: 'Success' });
      expect(cdr.status?.tokenStatus?.sourceTokens?.map((t) => t.revision)).toEqual([1]);
      expect(cdr.status?.tokenStatus?.destinationTokens?.map((t) => t.revision)).toEqual([1]);
    });

    await writeRouteStatus('bob', 'alice-bob', { tokenStatus: { tokens: [readyToken(1), readyToken(2)] } });
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'False', reason: 'TokenRevisionNotMatch' }));

    await writeRouteStatus('alice', 'alice-bob', { isDestinationAuthorized: true, isDestinationUnreachable: true, tokenStatus: { tokens: [readyToken(1), readyToken(2)] } });
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'False', reason: 'DestinationUnreachable' }));

    await writeRouteStatus('alice', 'alice-bob', { isDestinationAuthorized: true, tokenStatus: { tokens: [readyToken(1), readyToken(2)] } });
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'True', message: 'Success' }));
  });

  it('makes no writes once a route has settled', async () => {
    const versions = async () => [(await getRoute('alice-bob')).metadata.resourceVersion, (await domainRoutes.get('alice', 'alice-bob')).metadata.resourceVersion, (await domainRoutes.get('bob', 'alice-bob')).metadata.resourceVersion];
    const before = await versions();
    // Several status sync passes.
    await new Promise((r) => setTimeout(r, 5 * STATUS_SYNC_MS));
    expect(await versions()).toEqual(before);
  });

  it('turns not ready when the destination heartbeats stop for 30 s, and ready again when they resume', async () => {
    await writeRouteStatus('bob', 'alice-bob', { tokenStatus: { tokens: [readyToken(1, clock), readyToken(2, clock)] } });
    await eventually(async () => expect((await getRoute('alice-bob')).status?.tokenStatus?.destinationTokens?.[1]?.heartBeatTime).toBe(rfc3339(clock)));
    expect((await ready('alice-bob'))?.status).toBe('True');

    clock += 31_000;
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'False', reason: 'HeartBeatTimeout', message: 'HeartBeatTimeout' }));

    await writeRouteStatus('bob', 'alice-bob', { tokenStatus: { tokens: [readyToken(1, clock), readyToken(2, clock)] } });
    await eventually(async () => expect(await ready('alice-bob')).toMatchObject({ status: 'True', message: 'Success' }));
  });

  it('reports endpoint health per source gateway from the Gateway objects', async () => {
    const networkStatus = (healthy: number) => [{ name: 'alice-to-bob-http', type: 'DomainRoute', totalEndpointsCount: 1, healthyEndpointsCount: healthy }];
    const gw = await gateways.create({ apiVersion: API_VERSION, kind: 'Gateway', metadata: { name: 'gw-alice-1', namespace: 'alice' } });
    await gateways.replaceStatus({ ...gw, status: { address: '10.0.0.1', heartbeatTime: rfc3339(clock), networkStatus: networkStatus(1) } });
    await eventually(async () => expect((await getRoute('alice-bob')).status?.endpointStatuses).toEqual({ 'gw-alice-1-http': { endpointHealthy: true } }));

    // A gateway silent for more than 3 minutes is dead: its endpoint is no longer healthy.
    clock += 4 * 60_000;
    await eventually(async () => expect((await getRoute('alice-bob')).status?.endpointStatuses).toEqual({ 'gw-alice-1-http': { endpointHealthy: false } }));
    await gateways.delete('alice', 'gw-alice-1');
  });

  it('re-creates both DomainRoutes when a domain certificate changes', async () => {
    const before = await domainRoutes.get('bob', 'alice-bob');
    certs['bob'] = await makeDomainCert('bob');
    await env.clients.domains.patch('', 'bob', { spec: { cert: certs['bob'].certBase64 } });
    await eventually(async () => {
      const dr = await domainRoutes.get('bob', 'alice-bob');
      expect(dr.metadata.uid).not.toBe(before.metadata.uid);
      expect(keyOfKusciaPublicKey(dr.spec!.tokenConfig!.destinationPublicKey!).key.equals(certs['bob']!.publicKey)).toBe(true);
      // A fresh route: the old tokens went with the old one.
      expect(dr.status?.tokenStatus?.tokens).toBeUndefined();
    });
  });

  it('refuses an invalid route with a Ready=False reason and creates nothing', async () => {
    const spec = tokenRoute('bob', 'alice');
    delete spec.tokenConfig;
    await createRoute('bob-alice-invalid', spec);
    await eventually(async () => expect(await ready('bob-alice-invalid')).toMatchObject({ status: 'False', reason: 'DoValidate', message: 'field TokenConfig is null' }));
    expect(await absent(() => domainRoutes.get('bob', 'bob-alice'))).toBe(true);
    expect(await absent(() => domainRoutes.get('alice', 'bob-alice'))).toBe(true);
    await env.clients.clusterDomainRoutes.delete('', 'bob-alice-invalid');
  });

  it('does not take over a DomainRoute it does not own, and proceeds once it is gone', async () => {
    await domainRoutes.create({ apiVersion: API_VERSION, kind: 'DomainRoute', metadata: { name: 'bob-alice', namespace: 'alice' }, spec: tokenRoute('bob', 'alice') });
    await createRoute('bob-alice', tokenRoute('bob', 'alice'));
    await eventually(async () =>
      expect(await ready('bob-alice')).toMatchObject({ status: 'False', reason: 'ErrResourceExists', message: 'DomainRoute bob-alice already exists in namespace alice and is not managed by ClusterDomainRoute' }),
    );
    expect((await domainRoutes.get('alice', 'bob-alice')).metadata.ownerReferences).toBeUndefined();

    await domainRoutes.delete('alice', 'bob-alice');
    await eventually(async () => {
      const dr = await domainRoutes.get('alice', 'bob-alice');
      expect(dr.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ClusterDomainRoute', name: 'bob-alice' });
      expect((await ready('bob-alice'))?.reason).toBe('DestinationIsNotAuthrized');
    });
  });

  it('routes to a partner only from our side and declares the peer the job host once a token exists', async () => {
    await createRoute('alice-carol', tokenRoute('alice', 'carol'));
    await eventually(async () => expect((await domainRoutes.get('alice', 'alice-carol')).metadata.labels?.[Labels.DomainRoutePartner]).toBe('carol'));
    expect(await absent(() => domainRoutes.get('carol', 'alice-carol'))).toBe(true);
    expect(await absent(() => interopConfigs.get('', 'alice-2-carol'))).toBe(true);

    await writeRouteStatus('alice', 'alice-carol', { isDestinationAuthorized: true, tokenStatus: { tokens: [readyToken(1)] } });
    await eventually(async () => {
      const interop = await interopConfigs.get('', 'alice-2-carol');
      expect(interop.spec).toEqual({ host: 'carol', members: ['alice'] });
      expect(interop.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ClusterDomainRoute', name: 'alice-carol', controller: true });
    });
    // The partner's side is not ours to check: Ready on our token alone.
    await eventually(async () => expect((await ready('alice-carol'))?.status).toBe('True'));
  });

  it('gives a peer control plane a bearer token of its ServiceAccount for our API server', async () => {
    await createRoute('dave-alice', tokenRoute('dave', 'alice', { authenticationType: 'None', tokenConfig: undefined }));
    let authorization = '';
    await eventually(async () => {
      authorization = (await getRoute('dave-alice')).spec?.requestHeadersToAdd?.['Authorization'] ?? '';
      expect(authorization).toMatch(/^Bearer \S+$/);
    });
    const review = await requestAs(env.server.url, env.server.pki.ca.certPem, { token: authorization.slice('Bearer '.length) }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    expect(JSON.parse(review.body).status.userInfo.username).toBe('system:serviceaccount:dave:dave');

    // Only alice's side is ours; the route needs no token, so it is ready at once.
    await eventually(async () => expect((await domainRoutes.get('alice', 'dave-alice')).spec?.requestHeadersToAdd?.['Authorization']).toBe(authorization));
    expect(await absent(() => domainRoutes.get('dave', 'dave-alice'))).toBe(true);
    await eventually(async () => expect((await ready('dave-alice'))?.status).toBe('True'));
  });

  it('shows a missing domain as the reason and recovers when it appears', async () => {
    await createRoute('alice-erin', tokenRoute('alice', 'erin'));
    await eventually(async () => expect(await ready('alice-erin')).toMatchObject({ status: 'False', reason: 'DomainNotFound', message: 'domain erin not found' }));
    await env.createNamespaces('erin');
    await createDomain('erin', { cert: (await makeDomainCert('erin')).certBase64 });
    await eventually(async () => expect((await domainRoutes.get('erin', 'alice-erin')).spec?.tokenConfig?.destinationPublicKey).toBeTruthy());
  });

  it('leaves the DomainRoutes and the InteropConfig to the garbage collector when deleted', async () => {
    await env.clients.clusterDomainRoutes.delete('', 'alice-bob');
    await env.clients.clusterDomainRoutes.delete('', 'alice-carol');
    await eventually(async () => {
      expect(await absent(() => domainRoutes.get('alice', 'alice-bob'))).toBe(true);
      expect(await absent(() => domainRoutes.get('bob', 'alice-bob'))).toBe(true);
      expect(await absent(() => domainRoutes.get('alice', 'alice-carol'))).toBe(true);
      expect(await absent(() => interopConfigs.get('', 'alice-2-carol'))).toBe(true);
    });
  });
});
