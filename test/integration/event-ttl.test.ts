import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';
import { rawWatch } from '../support/raw-watch.ts';

/** Events expire a TTL after their last write (kube-apiserver --event-ttl). */
const json = { 'Content-Type': 'application/json' };
const coreEvents = '/api/v1/namespaces/default/events';
const v1Events = '/apis/events.k8s.io/v1/namespaces/default/events';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function start(opts: Partial<ApiServerOptions> & { dataDir?: string }): Promise<RunningApiServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'kuscia-event-ttl-')));
  const server = await startApiServer({ storage: 'memory', port: 0, logger: pino({ level: 'warn' }), ...opts, dataDir });
  cleanups.push(async () => {
    await server.stop();
    if (!opts.dataDir) await removeDir(dataDir);
  });
  return server;
}

const coreEvent = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' }, reason: 'Started', message: 'm', type: 'Normal' });
const v1Event = (name: string) =>
  JSON.stringify({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name },
    eventTime: new Date().toISOString().replace('Z', '000Z'),
    reportingController: 'kuscia/test',
    reportingInstance: 'test-0',
    action: 'Start',
    reason: 'Started',
    type: 'Normal',
    regarding: { kind: 'Pod', namespace: 'default', name: 'p' },
  });

async function status(server: RunningApiServer, path: string): Promise<number> {
  return (await rawRequest(server, 'GET', path)).status;
}

describe('event TTL', () => {
  it('an event disappears a TTL after its last write (watchers see DELETED); an update renews it; other objects stay', async () => {
    const server = await start({ eventTtlSeconds: 2 });
    expect((await rawRequest(server, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'keep' } }), json)).status).toBe(201);
    const watch = await rawWatch(server, `${coreEvents}?watch=true&resourceVersion=${server.store.revision}`);
    expect((await rawRequest(server, 'POST', coreEvents, coreEvent('short'), json)).status).toBe(201);
    expect((await rawRequest(server, 'POST', v1Events, v1Event('renewed'), json)).status).toBe(201);

    await sleep(1200);
    const patched = await rawRequest(server, 'PATCH', `${v1Events}/renewed`, '{"note":"still going"}', { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.status, patched.body).toBe(200);

    await eventually(async () => expect(await status(server, `${coreEvents}/short`)).toBe(404), 3000);
    // Created together with "short", but written again 1.2 s later: it lives on.
    expect(await status(server, `${coreEvents}/renewed`)).toBe(200);
    await eventually(() => expect(watch.events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata?.name)).toEqual(['short']), 1000);

    await eventually(async () => expect(await status(server, `${coreEvents}/renewed`)).toBe(404), 3000);
    await eventually(() => expect(watch.events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata?.name)).toEqual(['short', 'renewed']), 1000);
    watch.close();
    expect(await status(server, '/api/v1/namespaces/default/configmaps/keep')).toBe(200);
  });

  it('eventTtlSeconds 0 keeps events', async () => {
    const server = await start({ eventTtlSeconds: 0 });
    expect((await rawRequest(server, 'POST', coreEvents, coreEvent('forever'), json)).status).toBe(201);
    await sleep(300);
    expect(await status(server, `${coreEvents}/forever`)).toBe(200);
  });

  it('deadlines survive a restart: counted from the last write, not restarted from scratch', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kuscia-event-ttl-restart-'));
    cleanups.push(() => removeDir(dataDir));
    // Long enough that a slow restart on a loaded CI machine cannot eat the margin before the first check.
    const ttl = 6;
    const first = await startApiServer({ dataDir, storage: 'sqlite', port: 0, logger: pino({ level: 'warn' }), eventTtlSeconds: ttl });
    const written = Date.now();
    expect((await rawRequest(first, 'POST', coreEvents, coreEvent('survivor'), json)).status).toBe(201);
    expect((await rawRequest(first, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'keep' } }), json)).status).toBe(201);
    await first.stop();

    // Down for 3 of its 6 seconds; started again, it must not have lost its deadline...
    await sleep(written + 3000 - Date.now());
    const second = await start({ dataDir, storage: 'sqlite', eventTtlSeconds: ttl });
    const restarted = Date.now();
    expect(await status(second, `${coreEvents}/survivor`)).toBe(200);
    // ...and it goes when its TTL from the write runs out (at most written + ttl + 1 s, since
    // second-precision timestamps count as the end of their second), well before a full TTL
    // counted from the restart would end.
    await eventually(async () => expect(await status(second, `${coreEvents}/survivor`)).toBe(404), 5000, 50);
    const gone = Date.now();
    expect(gone).toBeLessThan(restarted + ttl * 1000 - 500);
    expect(gone).toBeGreaterThanOrEqual(written + ttl * 1000 - 100);
    expect(await status(second, '/api/v1/namespaces/default/configmaps/keep')).toBe(200);
  });
});
