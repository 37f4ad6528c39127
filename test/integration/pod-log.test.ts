import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCriRecord, type LogStream } from '../../pkg/agent/logs/cri-log-format.ts';
import { containerLogFile } from '../../pkg/agent/logs/layout.ts';
import { startLogServer, type LogPodInfo, type RunningLogServer } from '../../pkg/agent/logs/log-server.ts';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { kubectl } from '../support/kubectl.ts';
import { rawRequest, sendRaw } from '../support/raw-client.ts';

/**
 * `kubectl logs` end to end: the real kubectl → the in-process API server's pods/log → the agent's
 * log server (client certificate) → CRI log files in the kubelet layout.
 */
let server: RunningApiServer;
let logServer: RunningLogServer;
let dataDir: string;
let logRoot: string;
let cacheDir: string;
const ns = 'logs';
const node = 'agent-a';
/** What the "agent" knows about its pods; tests change it as a pod's containers run and stop. */
const pods = new Map<string, LogPodInfo>();
const resolveCalls = new Map<string, number>();
const json = { 'Content-Type': 'application/json' };
const t0 = Date.parse('2025-01-01T10:00:00.000Z');

const k = (...args: string[]) => kubectl(server.kubeconfigPath, cacheDir, ['-n', ns, ...args]);

async function createPod(name: string, containers: string[], opts: { nodeName?: string; initContainers?: string[] } = {}): Promise<string> {
  const body = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...(opts.nodeName === '' ? {} : { nodeName: opts.nodeName ?? node }),
      containers: containers.map((c) => ({ name: c, image: 'fake-engine' })),
      ...(opts.initContainers ? { initContainers: opts.initContainers.map((c) => ({ name: c, image: 'fake-engine' })) } : {}),
    },
  };
  const r = await rawRequest(server, 'POST', `/api/v1/namespaces/${ns}/pods`, JSON.stringify(body), json);
  expect(r.status, r.body).toBe(201);
  return r.json<{ metadata: { uid: string } }>().metadata.uid;
}

async function writeRecords(pod: string, uid: string, container: string, restart: number, records: Array<[number, LogStream, string, boolean?]>): Promise<void> {
  const file = containerLogFile(logRoot, ns, pod, uid, container, restart);
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, records.map(([at, stream, text, partial]) => formatCriRecord(new Date(at), stream, text, partial)).join(''));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-podlog-'));
  logRoot = join(dataDir, 'pods');
  cacheDir = join(dataDir, 'kube');
  const log = pino({ level: 'silent' });
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log });
  logServer = await startLogServer({
    address: '127.0.0.1',
    port: 0,
    clientCaPem: server.pki.ca.certPem,
    logRoot,
    log,
    pollIntervalMs: 50,
    resolvePod: (namespace, name) => {
      resolveCalls.set(name, (resolveCalls.get(name) ?? 0) + 1);
      return namespace === ns ? pods.get(name) : undefined;
    },
  });
  await rawRequest(server, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), json);
  const created = await rawRequest(server, 'POST', '/api/v1/nodes', JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } }), json);
  expect(created.status, created.body).toBe(201);
  const status = { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node }], daemonEndpoints: { kubeletEndpoint: { Port: logServer.port } } } };
  const patched = await rawRequest(server, 'PATCH', `/api/v1/nodes/${node}/status`, JSON.stringify(status), { 'Content-Type': 'application/merge-patch+json' });
  expect(patched.status, patched.body).toBe(200);
});

afterAll(async () => {
  await logServer?.stop();
  await server?.stop();
  if (dataDir) await removeDir(dataDir);
});

describe('kubectl logs', () => {
  it('prints a container log, joining partial records, with --tail and --timestamps', async () => {
    const uid = await createPod('web', ['main']);
    pods.set('web', { uid, containers: ['main'], restartCounts: { main: 0 }, running: ['main'] });
    await writeRecords('web', uid, 'main', 0, [
      [t0, 'stdout', 'starting'],
      [t0 + 1000, 'stderr', 'half a ', true],
      [t0 + 1001, 'stderr', 'line'],
      [t0 + 2000, 'stdout', 'done'],
    ]);
    const all = await k('logs', 'web');
    expect(all.stderr).toBe('');
    expect(all.stdout).toBe('starting\nhalf a line\ndone\n');
    expect((await k('logs', 'web', '--tail=2')).stdout).toBe('half a line\ndone\n');
    expect((await k('logs', 'pod/web', '--tail=1', '--timestamps')).stdout).toBe('2025-01-01T10:00:02.000000000Z done\n');
    expect((await k('logs', 'web', '--limit-bytes=12')).stdout).toBe('starting\nhal');
  });

  it('asks for a container when the pod has several, and reads the one named with -c', async () => {
    const uid = await createPod('two', ['a', 'b'], { initContainers: ['setup'] });
    pods.set('two', { uid, containers: ['setup', 'a', 'b'], restartCounts: {}, running: ['a', 'b'] });
    await writeRecords('two', uid, 'b', 0, [[t0, 'stdout', 'from b']]);
    const noName = await rawRequest(server, 'GET', `/api/v1/namespaces/${ns}/pods/two/log`);
    expect(noName.status).toBe(400);
    expect(noName.json()).toMatchObject({
      reason: 'BadRequest',
      message: 'a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [setup]',
    });
    expect((await k('logs', 'two', '-c', 'b')).stdout).toBe('from b\n');
    const wrong = await k('logs', 'two', '-c', 'nope');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('container nope is not valid for pod two');
  });

  it('reads the previous instance with --previous and says when there is none', async () => {
    const uid = await createPod('restarted', ['main']);
    pods.set('restarted', { uid, containers: ['main'], restartCounts: { main: 1 }, running: ['main'] });
    await writeRecords('restarted', uid, 'main', 0, [[t0, 'stderr', 'crashed: out of memory']]);
    await writeRecords('restarted', uid, 'main', 1, [[t0 + 5000, 'stdout', 'second try']]);
    expect((await k('logs', 'restarted')).stdout).toBe('second try\n');
    expect((await k('logs', 'restarted', '--previous')).stdout).toBe('crashed: out of memory\n');
    const none = await k('logs', 'web', '-p');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('previous terminated container "main" in pod "web" not found');
  });

  it('follows a running container with -f and ends when the pod finishes', async () => {
    const uid = await createPod('busy', ['main']);
    pods.set('busy', { uid, containers: ['main'], restartCounts: { main: 0 }, running: ['main'] });
    await writeRecords('busy', uid, 'main', 0, [[Date.now(), 'stdout', 'line 1']]);
    const follower = spawnKubectl(['-n', ns, 'logs', '-f', 'busy']);
    // Streamed: line 2 only exists after kubectl has shown line 1.
    await eventually(() => expect(follower.output()).toBe('line 1\n'));
    await writeRecords('busy', uid, 'main', 0, [[Date.now(), 'stdout', 'line 2']]);
    await eventually(() => expect(follower.output()).toBe('line 1\nline 2\n'));
    await writeRecords('busy', uid, 'main', 0, [[Date.now(), 'stdout', 'last words']]);
    pods.set('busy', { uid, containers: ['main'], restartCounts: { main: 0 }, running: [], finished: true });
    expect(await follower.exit).toBe(0);
    expect(follower.output()).toBe('line 1\nline 2\nlast words\n');
  });

  it('closes the agent stream when the client goes away', async () => {
    const uid = await createPod('endless', ['main']);
    pods.set('endless', { uid, containers: ['main'], restartCounts: { main: 0 }, running: ['main'] });
    await writeRecords('endless', uid, 'main', 0, [[Date.now(), 'stdout', 'tick']]);
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = request(new URL(`/api/v1/namespaces/${ns}/pods/endless/log?follow=true`, server.url), {
        ca: server.pki.ca.certPem,
        cert: server.pki.admin.certPem,
        key: server.pki.admin.keyPem,
      });
      req.on('response', (res) => res.once('data', (d: Buffer) => {
        req.destroy();
        resolve(d.toString());
      }));
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
    expect(firstChunk).toBe('tick\n');
    // The agent stops asking about the pod once its follower is gone.
    await new Promise((r) => setTimeout(r, 300));
    const settled = resolveCalls.get('endless');
    await new Promise((r) => setTimeout(r, 300));
    expect(resolveCalls.get('endless')).toBe(settled);
  });

  it('gives an empty log for a pod not yet bound, and kubelet texts for containers not started', async () => {
    await createPod('pending', ['main'], { nodeName: '' });
    const unbound = await k('logs', 'pending');
    expect(unbound).toMatchObject({ code: 0, stdout: '' });
    const uid = await createPod('pulling', ['main']);
    pods.set('pulling', { uid, containers: ['main'], restartCounts: {}, waiting: { main: 'ErrImageNeverPull' } });
    const waiting = await k('logs', 'pulling');
    expect(waiting.stderr).toContain('Error from server (BadRequest): container "main" in pod "pulling" is waiting to start: ErrImageNeverPull');
  });

  it('answers with kube-apiserver texts when the node cannot be reached', async () => {
    await createPod('lost', ['main'], { nodeName: 'gone-node' });
    const missingNode = await rawRequest(server, 'GET', `/api/v1/namespaces/${ns}/pods/lost/log`);
    expect(missingNode.status).toBe(404);
    expect(missingNode.json()).toMatchObject({ reason: 'NotFound', message: 'nodes "gone-node" not found' });
    const missingPod = await k('logs', 'nobody');
    expect(missingPod.stderr).toContain('pods "nobody" not found');
  });
});

describe('agent log server', () => {
  it('refuses clients without a certificate and certificates other than the kubelet-client one', async () => {
    const url = new URL(`https://127.0.0.1:${logServer.port}/containerLogs/${ns}/web/main`);
    await expect(sendRaw(url, { rejectUnauthorized: false })).rejects.toThrow();
    const asAdmin = await sendRaw(url, { rejectUnauthorized: false, cert: server.pki.admin.certPem, key: server.pki.admin.keyPem });
    expect(asAdmin.status).toBe(403);
    const asApiServer = await sendRaw(url, { rejectUnauthorized: false, cert: server.pki.kubeletClient.certPem, key: server.pki.kubeletClient.keyPem });
    expect(asApiServer).toMatchObject({ status: 200, body: 'starting\nhalf a line\ndone\n' });
  });

  it('serves sinceSeconds against the record times', async () => {
    const uid = await createPod('recent', ['main']);
    pods.set('recent', { uid, containers: ['main'], restartCounts: { main: 0 }, running: ['main'] });
    await writeRecords('recent', uid, 'main', 0, [[Date.now() - 3_600_000, 'stdout', 'an hour ago'], [Date.now(), 'stdout', 'just now']]);
    expect((await k('logs', 'recent', '--since=5m')).stdout).toBe('just now\n');
  });
});

/** kubectl as a child whose output is read while it runs and whose exit code is awaited. */
function spawnKubectl(args: string[]) {
  const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: server.kubeconfigPath, KUBECACHEDIR: cacheDir, HOME: cacheDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  void exit.then(() => clearTimeout(timer));
  return { output: () => stdout, exit };
}
