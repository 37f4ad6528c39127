/**
 * The CPU a write costs before any Kubernetes work: one HTTPS request/response between two
 * processes on this machine, with the API server's TLS setup (mutual TLS, certificates from the
 * project's PKI, node:https on the server, an undici pool as pkg/kube's KubeApi uses) and a
 * pod-sized JSON body each way. The server here only reads the body and answers a fixed JSON
 * text: no parsing, validation, storage or watch. Whatever a real write costs on top of these
 * figures is Kubernetes work; these figures themselves are the floor any design that keeps
 * separate processes talking HTTPS pays per request.
 *
 *   node bench/apiserver/transport-floor.ts [--requests 30000] [--request-bytes 1500]
 *       [--response-bytes 2600] [--concurrency 1,16,64] [--writes-per-pod 6]
 *
 * For each concurrency it prints requests/s and the CPU (user + system) per request of the server
 * process and of the client process, and what that floor alone allows on this machine's cores for
 * a pod that costs `--writes-per-pod` writes (bench:scheduler's "API writes per bound pod").
 */
import { fork } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createCertificateAuthority, issueClientCertificate, issueServingCertificate } from '../../pkg/apiserver/certs/index.ts';
import { int } from './stats.ts';

interface ServerSetup {
  keyPem: string;
  certPem: string;
  caPem: string;
  responseBytes: number;
}
type ToServer = { setup: ServerSetup } | { cpu: true };
type FromServer = { port: number } | { cpuMicros: number };

/** A JSON text of about `bytes` bytes, shaped like an object rather than one long string. */
function jsonOfSize(bytes: number, kind: string): string {
  const labels: Record<string, string> = {};
  for (let i = 0; JSON.stringify({ kind, metadata: { labels } }).length < bytes; i++) labels[`kuscia.secretflow/key-${i}`] = `value-${i}-${'x'.repeat(24)}`;
  return JSON.stringify({ kind, metadata: { labels } });
}

function runServer(): void {
  let server: Server | undefined;
  process.on('message', (m: ToServer) => {
    if ('cpu' in m) {
      const u = process.cpuUsage();
      process.send!({ cpuMicros: u.user + u.system } satisfies FromServer);
      return;
    }
    const body = jsonOfSize(m.setup.responseBytes, 'Pod');
    server = createServer({ key: m.setup.keyPem, cert: m.setup.certPem, ca: m.setup.caPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 90_000;
    server.listen(0, '127.0.0.1', () => {
      const address = server!.address();
      if (address && typeof address === 'object') process.send!({ port: address.port } satisfies FromServer);
    });
  });
  process.on('disconnect', () => process.exit(0));
}

async function runClient(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '30000' },
      'request-bytes': { type: 'string', default: '1500' },
      'response-bytes': { type: 'string', default: '2600' },
      concurrency: { type: 'string', default: '1,16,64' },
      'writes-per-pod': { type: 'string', default: '6' },
    },
  });
  const positive = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
  const requests = positive('requests', values.requests);
  const writesPerPod = positive('writes-per-pod', values['writes-per-pod']);
  const concurrencies = values.concurrency.split(',').map((c) => positive('concurrency', c));
  const requestBody = jsonOfSize(positive('request-bytes', values['request-bytes']), 'Pod');
  const responseBytes = positive('response-bytes', values['response-bytes']);

  const ca = await createCertificateAuthority({ commonName: 'transport-floor-ca' });
  const serving = await issueServingCertificate(ca, { sans: ['127.0.0.1'] });
  const client = await issueClientCertificate(ca, { commonName: 'bench', organizations: ['system:masters'] });

  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: process.execArgv });
  const next = () => new Promise<FromServer>((resolve) => child.once('message', (m: FromServer) => resolve(m)));
  const ready = next();
  child.send({ setup: { keyPem: serving.keyPem, certPem: serving.certPem, caPem: ca.certPem, responseBytes } } satisfies ToServer);
  const hello = await ready;
  if (!('port' in hello)) throw new Error('the server did not report its port');
  const serverCpu = async () => {
    const reply = next();
    child.send({ cpu: true } satisfies ToServer);
    const m = await reply;
    if (!('cpuMicros' in m)) throw new Error('unexpected reply from the server');
    return m.cpuMicros;
  };

  const cores = cpus().length;
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, Node ${process.version}`);
  console.log(`HTTPS (mutual TLS) request ${int(Buffer.byteLength(requestBody))} B -> response ${int(responseBytes)} B, ${int(requests)} requests per row; no Kubernetes work on either side`);
  for (const concurrency of concurrencies) {
    const pool = new Pool(`https://127.0.0.1:${hello.port}`, {
      connections: concurrency,
      connect: { ca: ca.certPem, cert: client.certPem, key: client.keyPem },
    });
    let issued = 0;
    const worker = async () => {
      while (issued++ < requests) {
        const res = await pool.request({ path: '/api/v1/namespaces/bench/pods', method: 'POST', body: requestBody, headers: { 'content-type': 'application/json' } });
        JSON.parse(await res.body.text());
      }
    };
    // A warm-up pass (connections, TLS handshakes, JIT), then the measured pass.
    await Promise.all(Array.from({ length: concurrency }, worker));
    issued = 0;
    const server0 = await serverCpu();
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsedMs = performance.now() - t0;
    const clientUsage = process.cpuUsage(client0);
    const serverMicros = ((await serverCpu()) - server0) / requests;
    const clientMicros = (clientUsage.user + clientUsage.system) / requests;
    const perPodMs = ((serverMicros + clientMicros) * writesPerPod) / 1000;
    console.log(
      `concurrency ${String(concurrency).padStart(3)}: ${int((requests / elapsedMs) * 1000)} requests/s; CPU per request: server ${serverMicros.toFixed(1)} µs, client ${clientMicros.toFixed(1)} µs; ` +
        `${writesPerPod} writes per pod = ${perPodMs.toFixed(2)} ms of CPU per pod -> at most ${int((cores * 1000) / perPodMs)} pods/s on ${cores} cores from transport alone`,
    );
    await pool.close();
  }
  child.disconnect();
}

if (process.argv.includes('--serve')) runServer();
else await runClient();
