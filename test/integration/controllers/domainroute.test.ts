/**
 * The DomainRoute controller alone on the embedded API server, with a fake clock: the revision
 * bookkeeping around the gateways' handshake as the gateways see it in the DomainRoute status —
 * which gateway initiates, pre-rolling when a revision is due, the last two tokens kept on the
 * source, readiness and expiry on the destination. The test plays the gateways (Gateway objects and
 * the handshake's status writes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rfc3339 } from '../../../pkg/controllers/common/controller-context.ts';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import { newDomainRouteController } from '../../../pkg/controllers/domainroute/index.ts';
import { Labels, type DomainRoute, type DomainRouteToken, type DomainRouteTokenStatus, type Gateway } from '../../../pkg/crd/index.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

const API_VERSION = 'kuscia.secretflow/v1alpha1';
const PERIOD_S = 600;
const MIN = 60_000;

let env: ControllerTestEnv;
let clock = Date.parse('2025-06-01T10:00:00Z');
let domainRoutes: ResourceClient<DomainRoute>;
let gateways: ResourceClient<Gateway>;

beforeAll(async () => {
  env = await startControllerTestEnv();
  domainRoutes = new ResourceClient(env.clients.api, KusciaResources.domainRoutes);
  gateways = new ResourceClient(env.clients.api, KusciaResources.gateways);
  await env.createNamespaces('alice', 'bob');
  for (const namespace of ['alice', 'bob']) {
    await domainRoutes.create({
      apiVersion: API_VERSION,
      kind: 'DomainRoute',
      metadata: { name: 'alice-bob', namespace },
      spec: {
        source: 'alice',
        destination: 'bob',
        endpoint: { host: 'bob.example', ports: [{ name: 'http', protocol: 'HTTP', port: 1080 }] },
        authenticationType: 'Token',
        // Any base64 keys: this controller never uses them, it only waits for both.
        tokenConfig: { tokenGenMethod: 'RSA-GEN', rollingUpdatePeriod: PERIOD_S, sourcePublicKey: 'c3JjLWtleQ==', destinationPublicKey: 'ZHN0LWtleQ==' },
      },
    });
  }
  const ctx = env.context(() => clock);
  // The first live gateway is picked, so the test knows which one; resync often to see the fake clock move.
  await env.startControllers(ctx, [newDomainRouteController(ctx, { resyncIntervalMs: 100, random: () => 0 })]);
});

afterAll(async () => {
  await env?.stop();
});

const tokenStatus = async (namespace: string): Promise<DomainRouteTokenStatus> => (await domainRoutes.get(namespace, 'alice-bob')).status?.tokenStatus ?? {};

/** Plays a gateway instance: its Gateway object with a heartbeat at `at` (default: the fake clock's now). */
async function heartbeat(namespace: string, name: string, at = clock): Promise<void> {
  let gw: Gateway;
  try {
    gw = await gateways.get(namespace, name);
  } catch {
    gw = await gateways.create({ apiVersion: API_VERSION, kind: 'Gateway', metadata: { name, namespace } });
  }
  await gateways.replaceStatus({ ...gw, status: { address: '127.0.0.1', ...gw.status, heartbeatTime: rfc3339(at) } });
}

/** Plays the handshake: writes the token status of a route. */
async function writeTokenStatus(namespace: string, mutate: (ts: DomainRouteTokenStatus) => DomainRouteTokenStatus): Promise<void> {
  const dr = await domainRoutes.get(namespace, 'alice-bob');
  await domainRoutes.replaceStatus({ ...dr, status: { ...dr.status, tokenStatus: mutate(dr.status?.tokenStatus ?? {}) } });
}

/** What the source's handshake writes on success: the new revision's token, ready, expiring after 2 periods. */
const handshakeToken = (revision: number): DomainRouteToken => ({
  revision,
  isReady: true,
  token: `encrypted-${revision}`,
  revisionTime: rfc3339(clock),
  expirationTime: rfc3339(clock + 2 * PERIOD_S * 1000),
});

describe('DomainRoute controller', () => {
  it('labels a hand-made DomainRoute with its source and destination', async () => {
    await eventually(async () =>
      expect((await domainRoutes.get('alice', 'alice-bob')).metadata.labels).toEqual({ [Labels.ClusterDomainRouteSource]: 'alice', [Labels.ClusterDomainRouteDestination]: 'bob' }),
    );
  });

  it('waits for a gateway, then makes it the initializer of a new revision', async () => {
    // No gateway in alice: nobody could start the handshake.
    await new Promise((r) => setTimeout(r, 300));
    expect(await tokenStatus('alice')).toEqual({});

    await heartbeat('alice', 'gw-1');
    await eventually(async () => {
      const ts = await tokenStatus('alice');
      expect(ts.revisionInitializer).toBe('gw-1');
      expect(ts.revisionToken).toEqual({ isReady: false, revision: 0, revisionTime: rfc3339(clock) });
    });
  });

  it('appends each ready revision to the source tokens and keeps only the last two', async () => {
    for (const revision of [1, 2, 3]) {
      await writeTokenStatus('alice', (ts) => ({ ...ts, revisionToken: handshakeToken(revision) }));
      await eventually(async () => expect((await tokenStatus('alice')).tokens?.at(-1)?.revision).toBe(revision));
    }
    const ts = await tokenStatus('alice');
    expect(ts.tokens?.map((t) => t.revision)).toEqual([2, 3]);
    expect(ts.tokens?.[1]).toEqual(handshakeToken(3));
  });

  it('pre-rolls once the rolling period is over: a new handshake by the same live initializer', async () => {
    const before = await tokenStatus('alice');
    clock += (PERIOD_S + 1) * 1000;
    await heartbeat('alice', 'gw-1');
    await eventually(async () => {
      const ts = await tokenStatus('alice');
      expect(ts.revisionToken).toEqual({ isReady: false, revision: 3, revisionTime: rfc3339(clock) });
      expect(ts.revisionInitializer).toBe('gw-1');
      // Traffic keeps using the tokens it has until the next one is ready.
      expect(ts.tokens).toEqual(before.tokens);
    });
  });

  it('starts over with another gateway when the handshake is not ready within 2 minutes and the initializer died', async () => {
    clock += 3 * MIN;
    await heartbeat('alice', 'gw-2');
    await eventually(async () => {
      const ts = await tokenStatus('alice');
      expect(ts.revisionInitializer).toBe('gw-2');
      expect(ts.revisionToken).toEqual({ isReady: false, revision: 3, revisionTime: rfc3339(clock) });
    });
  });

  it('makes the destination token ready once every live destination gateway loaded it', async () => {
    await heartbeat('bob', 'gw-b');
    // The destination side of the handshake stores the new revision, not ready yet.
    const stored: DomainRouteToken = { ...handshakeToken(4), isReady: false };
    await writeTokenStatus('bob', (ts) => ({ ...ts, revisionToken: stored }));
    await eventually(async () => expect((await tokenStatus('bob')).tokens).toEqual([stored]));
    await new Promise((r) => setTimeout(r, 300));
    expect((await tokenStatus('bob')).revisionToken?.isReady).toBe(false);

    // gw-b reports it loaded the token into Envoy.
    await writeTokenStatus('bob', (ts) => ({ ...ts, tokens: [{ ...stored, effectiveInstances: ['gw-b'] }] }));
    await eventually(async () => {
      const ts = await tokenStatus('bob');
      expect(ts.revisionToken?.isReady).toBe(true);
      expect(ts.tokens?.map((t) => t.isReady)).toEqual([true]);
    });
  });

  it('drops a destination token 2 minutes after it expired', async () => {
    const expiryOf4 = Date.parse((await tokenStatus('bob')).tokens![0]!.expirationTime!);
    clock += 5 * MIN;
    await writeTokenStatus('bob', (ts) => ({ ...ts, revisionToken: { ...handshakeToken(5), isReady: false } }));
    await eventually(async () => expect((await tokenStatus('bob')).tokens?.map((t) => t.revision)).toEqual([4, 5]));

    clock = expiryOf4 + MIN;
    await new Promise((r) => setTimeout(r, 300));
    expect((await tokenStatus('bob')).tokens?.map((t) => t.revision)).toEqual([4, 5]);
    clock = expiryOf4 + 3 * MIN;
    await eventually(async () => expect((await tokenStatus('bob')).tokens?.map((t) => t.revision)).toEqual([5]));
  });
});
