/**
 * The benchmark's two-domain network: the embedded API server (memory storage) with the
 * ClusterDomainRoute and DomainRoute controllers in this process, the gateways of alice and bob
 * (built-in data plane), a token-authenticated ClusterDomainRoute alice→bob Ready through the real
 * RSA-GEN handshake, and bob's backends registered as Services with Running pods: `http-echo`
 * (HTTP/1.1) and `grpc-echo` (annotation kuscia.secretflow/protocol GRPC, so the gateway speaks
 * HTTP/2 to it). Resolves once a request of each kind has gone through both gateways.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../../pkg/modules/free-port.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../test/support/controller-env.ts';
import { eventually } from '../../test/support/eventually.ts';
import { registerServedPod, setUpGatewayDomains, tokenRoute } from '../../test/support/gateway-fixtures.ts';
import { startBenchGateway, type BenchGateway, type GatewayPlacement } from './gateway-instances.ts';
import { echoClient, startGrpcEchoServer, unaryCall, type GrpcEchoServer } from './grpc-echo.ts';
import { startHttpEchoServer, type HttpEchoServer } from './http-echo.ts';

export const DOMAINS = ['alice', 'bob'] as const;
/** The Service port apps name; the gateway forwards to the pod's target port. */
const SERVICE_PORT = 8080;
export const HTTP_SERVICE_HOST = `http-echo.bob.svc:${SERVICE_PORT}`;
export const GRPC_SERVICE_HOST = `grpc-echo.bob.svc:${SERVICE_PORT}`;

export interface BenchNetwork {
  /** alice's internal listener: where alice's apps send `<svc>.bob.svc` requests. */
  aliceInternalPort: number;
  http: HttpEchoServer;
  grpc: GrpcEchoServer;
  gateways: BenchGateway[];
  stop(): Promise<void>;
  /** Last resort for process 'exit' handlers: the gateway processes killed. */
  killNow(): void;
}

export interface BenchNetworkOptions {
  /** A private temp directory: domain keys and certificates. */
  work: string;
  placement: GatewayPlacement;
  logLevel: string;
  /** Node flags for the gateway processes (e.g. --cpu-prof). */
  gatewayNodeFlags?: readonly string[];
}

export async function startBenchNetwork(opts: BenchNetworkOptions): Promise<BenchNetwork> {
  const cleanup: Array<() => Promise<void>> = [];
  const gateways: BenchGateway[] = [];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const env: ControllerTestEnv = await startControllerTestEnv({ logLevel: opts.logLevel });
    cleanup.push(() => env.stop());
    const keys = await setUpGatewayDomains(env, opts.work, DOMAINS, 1_000);
    const ports: Record<string, { internal: number; external: number }> = {};
    const keyFiles: Record<string, string> = {};
    for (const domain of DOMAINS) {
      // The key reaches the gateway child process through a 0600 file, never its command line.
      keyFiles[domain] = join(opts.work, `${domain}.key`);
      writeFileSync(keyFiles[domain], keys[domain]!, { mode: 0o600 });
      ports[domain] = { internal: await freePort(), external: await freePort() };
    }

    const http = await startHttpEchoServer();
    cleanup.push(() => http.stop());
    const grpc = await startGrpcEchoServer();
    cleanup.push(() => grpc.stop());
    await registerServedPod(env, 'bob', 'http-echo-0', http.port, [{ service: 'http-echo', scope: 'Cluster', protocol: 'HTTP', accessDomains: 'alice' }]);
    await registerServedPod(env, 'bob', 'grpc-echo-0', grpc.port, [{ service: 'grpc-echo', scope: 'Cluster', protocol: 'GRPC', accessDomains: 'alice' }]);

    for (const domain of DOMAINS) {
      const gateway = await startBenchGateway(opts.placement, {
        kubeconfigPath: env.server.kubeconfigPath,
        domain,
        instance: `gw-${domain}`,
        keyFile: keyFiles[domain]!,
        internalPort: ports[domain]!.internal,
        externalPort: ports[domain]!.external,
        logLevel: opts.logLevel,
      }, opts.gatewayNodeFlags);
      gateways.push(gateway);
      cleanup.push(() => gateway.stop());
    }

    await env.clients.clusterDomainRoutes.create(tokenRoute('alice', 'bob', ports['bob']!.external));
    await eventually(async () => {
      const cdr = await env.clients.clusterDomainRoutes.get('', 'alice-bob');
      const ready = cdr.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') throw new Error(`ClusterDomainRoute alice-bob not Ready: ${ready ? `${ready.reason}: ${ready.message}` : 'no Ready condition'}`);
    }, 60_000, 100);

    const aliceInternalPort = ports['alice']!.internal;
    await eventually(async () => {
      const status = await getStatus(aliceInternalPort, HTTP_SERVICE_HOST, '/small');
      if (status !== 200) throw new Error(`GET http-echo through the gateways: HTTP ${status}`);
    }, 30_000, 100);
    const client = echoClient(`127.0.0.1:${aliceInternalPort}`, GRPC_SERVICE_HOST);
    try {
      await eventually(async () => void (await unaryCall(client, Buffer.from('ping'))), 30_000, 100);
    } finally {
      client.close();
    }
    return { aliceInternalPort, http, grpc, gateways, stop, killNow: () => gateways.forEach((g) => g.killNow()) };
  } catch (err) {
    for (const g of gateways) g.killNow();
    await stop();
    throw err;
  }
}

function getStatus(port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
