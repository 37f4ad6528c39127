import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../../pkg/apiserver/server.ts';
import { loadKubeConfig, makeKubeClients, requestJson, type KubeClients } from '../../../pkg/kube/client.ts';
import { LeaderElector, type LeaderElectionOptions } from '../../../pkg/kube/leader-election.ts';
import { removeDir, repoRoot } from '../../support/apiserver-process.ts';
import { eventually } from '../../support/eventually.ts';

const log = pino({ level: 'error' });
// Short but in client-go's proportions (15 s / 10 s / 2 s scaled down). The Lease holds whole seconds.
const TIMING = { leaseDurationMs: 1000, renewDeadlineMs: 700, retryPeriodMs: 150 };
// A follower takes over leaseDuration after the last renewal it saw, noticed within a (jittered)
// retry period; the rest is slack for a loaded 2-core CI machine.
const TAKEOVER_BOUND_MS = TIMING.leaseDurationMs + 2 * TIMING.retryPeriodMs + 300;
let server: RunningApiServer;
let dataDir: string;
let clients: KubeClients;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-kube-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log });
  clients = makeKubeClients(loadKubeConfig(server.kubeconfigPath));
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

interface Contender {
  elector: LeaderElector;
  leading: () => boolean;
  stopped: () => boolean;
  done: Promise<void>;
}

function contender(identity: string, leaseName: string, extra: Partial<LeaderElectionOptions> = {}): Contender {
  let leading = false;
  let stopped = false;
  const elector = new LeaderElector({
    leases: clients.leases,
    identity,
    leaseName,
    log,
    ...TIMING,
    onStartedLeading: () => void (leading = true),
    onStoppedLeading: () => {
      leading = false;
      stopped = true;
    },
    ...extra,
  });
  return { elector, leading: () => leading, stopped: () => stopped, done: elector.run() };
}

async function readLease(name: string) {
  return clients.leases.get('kube-system', name);
}

describe('leader election on a Lease', () => {
  it('uses the Lease kuscia-controller-manager in kube-system by default, with client-go fields', async () => {
    const a = contender('a', 'kuscia-controller-manager', { leaseName: undefined });
    await eventually(() => expect(a.leading()).toBe(true));
    const lease = await readLease('kuscia-controller-manager');
    expect(lease.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });
    // MicroTime on the wire, as client-go writes it (RFC 3339 with microseconds).
    const raw = (await requestJson(clients.kubeConfig, 'GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kuscia-controller-manager')) as { spec: Record<string, string> };
    expect(raw.spec['acquireTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(raw.spec['renewTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    a.elector.stop();
    await a.done;
  });

  it('of two contenders exactly one leads; when it stops cleanly the lease is released and the other takes over at once', async () => {
    const a = contender('a', 'clean-stop');
    const b = contender('b', 'clean-stop');
    await eventually(() => expect(a.leading() || b.leading()).toBe(true));
    // Hold for a few lease renewals: never both.
    for (let i = 0; i < 10; i++) {
      expect(a.leading() && b.leading()).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [leader, follower] = a.leading() ? [a, b] : [b, a];
    expect(follower.leading()).toBe(false);
    const stoppedAt = Date.now();
    leader.elector.stop();
    await leader.done;
    expect(leader.stopped()).toBe(true);
    await eventually(() => expect(follower.leading()).toBe(true), 5_000, 20);
    // Released (holder cleared), so no need to wait out the lease: about one retry period.
    expect(Date.now() - stoppedAt).toBeLessThan(TIMING.leaseDurationMs);
    expect((await readLease('clean-stop')).spec).toMatchObject({ holderIdentity: follower === a ? 'a' : 'b', leaseTransitions: 1 });
    follower.elector.stop();
    await follower.done;
  });

  it('a leader that cannot renew steps down after the renew deadline; the other takes over within the lease duration', async () => {
    let failRenewals = false;
    // A leader whose API calls start failing, as on a network partition from the API server.
    const partitioned = new Proxy(clients.leases, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (failRenewals ? Promise.reject(new Error('connection refused')) : (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    const a = contender('a', 'partition', { leases: partitioned });
    await eventually(() => expect(a.leading()).toBe(true));
    const b = contender('b', 'partition');
    await new Promise((r) => setTimeout(r, 300));
    expect(b.leading()).toBe(false);
    failRenewals = true;
    const partitionedAt = Date.now();
    await eventually(() => expect(a.stopped()).toBe(true), 5_000, 20);
    await eventually(() => expect(b.leading()).toBe(true), 5_000, 20);
    // b waits leaseDuration after the last renewal it saw (plus one retry period and jitter).
    expect(Date.now() - partitionedAt).toBeLessThan(TAKEOVER_BOUND_MS);
    expect((await readLease('partition')).spec?.holderIdentity).toBe('b');
    a.elector.stop();
    b.elector.stop();
    await Promise.all([a.done, b.done]);
  });

  it('takes over from a leader process killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', join(repoRoot, 'test/support/leader-contender.ts'), server.kubeconfigPath, 'proc', String(TIMING.leaseDurationMs), String(TIMING.renewDeadlineMs), String(TIMING.retryPeriodMs)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(() => expect(out).toContain('LEADING'), 15_000);
      const local = contender('local', 'kuscia-controller-manager', { leaseName: undefined });
      await new Promise((r) => setTimeout(r, 500));
      expect(local.leading()).toBe(false);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await eventually(() => expect(local.leading()).toBe(true), 5_000, 20);
      expect(Date.now() - killedAt).toBeLessThan(TAKEOVER_BOUND_MS);
      const lease = await readLease('kuscia-controller-manager');
      expect(lease.spec?.holderIdentity).toBe('local');
      local.elector.stop();
      await local.done;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
