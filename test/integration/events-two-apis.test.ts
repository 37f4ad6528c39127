import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { rawRequest } from '../support/raw-client.ts';

/** Events are one set of objects seen through core/v1 and events.k8s.io/v1, as on Kubernetes. */
let server: RunningApiServer;
let dataDir: string;
const json = { 'Content-Type': 'application/json' };
const core = '/api/v1/namespaces/default/events';
const v1 = '/apis/events.k8s.io/v1/namespaces/default/events';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-events-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }) });
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('events through two APIs', () => {
  it('an events.k8s.io/v1 Event reads back through core/v1 with the old field names, and vice versa', async () => {
    const created = await rawRequest(
      server,
      'POST',
      v1,
      JSON.stringify({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'e1' },
        eventTime: '2026-11-23T10:00:00.000000Z',
        reportingController: 'kuscia/job-controller',
        reportingInstance: 'controller-0',
        action: 'Schedule',
        reason: 'Scheduled',
        note: 'task scheduled',
        type: 'Normal',
        regarding: { kind: 'Pod', namespace: 'default', name: 'p1' },
      }),
      json,
    );
    expect(created.status, created.body).toBe(201);
    expect(created.json()).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'task scheduled', regarding: { name: 'p1' } });

    const asCore = (await rawRequest(server, 'GET', `${core}/e1`)).json<Record<string, unknown>>();
    expect(asCore).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'task scheduled', involvedObject: { name: 'p1' }, reportingComponent: 'kuscia/job-controller' });
    expect(asCore).not.toHaveProperty('note');

    const patched = await rawRequest(server, 'PATCH', `${core}/e1`, JSON.stringify({ message: 'task running' }), { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.status, patched.body).toBe(200);
    const asV1 = (await rawRequest(server, 'GET', `${v1}/e1`)).json<Record<string, unknown>>();
    expect(asV1).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'task running' });
    expect(asV1['metadata']).toMatchObject({ resourceVersion: (patched.json<{ metadata: { resourceVersion: string } }>()).metadata.resourceVersion });

    const list = (await rawRequest(server, 'GET', v1)).json<{ kind: string; items: Array<Record<string, unknown>> }>();
    expect(list.kind).toBe('EventList');
    expect(list.items.map((i) => i['note'])).toEqual(['task running']);
    expect((await rawRequest(server, 'DELETE', `${v1}/e1`)).status).toBe(200);
    expect((await rawRequest(server, 'GET', `${core}/e1`)).status).toBe(404);
  });
});
