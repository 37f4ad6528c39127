import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';
import { rawWatch } from '../support/raw-watch.ts';

/** One structured line per request; never a credential or a body. */
let server: RunningApiServer;
let dataDir: string;
const raw: string[] = [];
const json = { 'Content-Type': 'application/json' };
type Line = Record<string, unknown>;
const requestLines = (): Line[] => raw.map((l) => JSON.parse(l) as Line).filter((l) => l['msg'] === 'request');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-request-log-'));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) raw.push(line);
      done();
    },
  });
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'debug' }, sink) });
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('request log', () => {
  it('logs writes at info with who/what/result, and never headers, query or body', async () => {
    raw.length = 0;
    const secret = 'c3VwZXItc2VjcmV0LXBhc3N3b3Jk';
    const res = await rawRequest(
      server,
      'POST',
      '/api/v1/namespaces/default/secrets?fieldManager=token-abc123',
      JSON.stringify({ metadata: { name: 'db' }, data: { password: secret } }),
      { ...json, 'User-Agent': 'kubectl/v1.33.0 (linux/amd64)', Authorization: 'Bearer not-a-real-token-xyz' },
    );
    await eventually(() => expect(requestLines().some((l) => l['resource'] === 'secrets')).toBe(true));
    const line = requestLines().find((l) => l['resource'] === 'secrets')!;
    expect(line).toMatchObject({ level: 30, component: 'apiserver', verb: 'create', resource: 'secrets', namespace: 'default', code: res.status, userAgent: 'kubectl/v1.33.0 (linux/amd64)' });
    expect(typeof line['ms']).toBe('number');
    const text = raw.join('\n');
    for (const leaked of [secret, 'not-a-real-token-xyz', 'token-abc123', 'password']) expect(text).not.toContain(leaked);
  });

  it('reads go out at debug, errors at info, non-resource requests with their path', async () => {
    raw.length = 0;
    await rawRequest(server, 'GET', '/api/v1/namespaces/default/configmaps');
    await rawRequest(server, 'GET', '/api/v1/namespaces/default/configmaps/nope');
    await rawRequest(server, 'GET', '/version?x=1');
    await eventually(() => expect(requestLines()).toHaveLength(3));
    const [list, missing, version] = requestLines();
    expect(list).toMatchObject({ level: 20, verb: 'list', resource: 'configmaps', namespace: 'default', code: 200 });
    expect(missing).toMatchObject({ level: 30, verb: 'get', name: 'nope', code: 404 });
    expect(version).toMatchObject({ level: 20, verb: 'get', path: '/version', code: 200 });
    expect(version).not.toHaveProperty('resource');
  });

  it('a watch is logged when it ends, with its whole duration', async () => {
    raw.length = 0;
    const watch = await rawWatch(server, '/apis/apps/v1/namespaces/default/deployments?watch=true');
    await new Promise((r) => setTimeout(r, 150));
    expect(requestLines().filter((l) => l['verb'] === 'watch')).toEqual([]);
    watch.close();
    await eventually(() => expect(requestLines().filter((l) => l['verb'] === 'watch')).toHaveLength(1));
    const line = requestLines().find((l) => l['verb'] === 'watch')!;
    expect(line).toMatchObject({ resource: 'deployments.apps', namespace: 'default', code: 200 });
    expect(line['ms'] as number).toBeGreaterThanOrEqual(150);
  });
});
