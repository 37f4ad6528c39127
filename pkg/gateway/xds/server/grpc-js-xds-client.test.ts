import { credentials, makeGenericClientConstructor, Server, ServerCredentials, type Client, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvoyProtos, TypeUrl } from '../envoy-protos.ts';
import { grpcShapedResources } from './grpc-shaped-resources.ts';
import { startXdsServer, type XdsServer } from './xds-server.ts';

// @grpc/grpc-js-xds reads its bootstrap from the environment once per process and keeps an xDS
// client for the process: this test has its own file so neither leaks into other tests.

interface EchoReply {
  message: string;
  servedBy: string;
}

const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
};

/** A unary method with JSON messages: no .proto needed for the backend. */
const echoService: ServiceDefinition = {
  Echo: {
    path: '/kuscia.test.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

interface EchoClient extends Client {
  Echo(request: { message: string }, options: { deadline: number }, callback: (err: ServiceError | null, reply?: EchoReply) => void): void;
}

async function startBackend(name: string): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(echoService, {
    Echo: (call: { request: { message: string } }, callback: (err: null, reply: EchoReply) => void) => callback(null, { message: call.request.message, servedBy: name }),
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { server, port };
}

function echo(client: EchoClient, message: string, timeoutMs = 5000): Promise<EchoReply> {
  return new Promise((resolve, reject) => client.Echo({ message }, { deadline: Date.now() + timeoutMs }, (err, reply) => (err ? reject(err) : resolve(reply!))));
}

const NODE_ID = 'grpc-client-1';
let xds: XdsServer;
let backends: Array<{ server: Server; port: number }>;
let client: EchoClient;
const savedBootstrap = process.env.GRPC_XDS_BOOTSTRAP_CONFIG;
const echoV2 = (): ReturnType<typeof grpcShapedResources> => grpcShapedResources({ listenerName: 'echo.kuscia', clusterName: 'echo-v2', backends: [{ host: '127.0.0.1', port: backends[1].port }] });

beforeAll(async () => {
  const protos = await loadEnvoyProtos();
  backends = [await startBackend('backend-1'), await startBackend('backend-2')];
  xds = await startXdsServer({ protos, log: pino({ level: 'silent' }), debounce: { quietMs: 10, maxMs: 100 } });
  xds.setSnapshot(NODE_ID, grpcShapedResources({ listenerName: 'echo.kuscia', clusterName: 'echo-v1', backends: [{ host: '127.0.0.1', port: backends[0].port }] }));
  xds.flush();

  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
    xds_servers: [{ server_uri: xds.address, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
    node: { id: NODE_ID, cluster: 'kuscia-test', locality: {} },
  });
  const grpcJsXds = await import('@grpc/grpc-js-xds');
  grpcJsXds.register();
  const Echo = makeGenericClientConstructor(echoService, 'Echo');
  client = new Echo('xds:///echo.kuscia', credentials.createInsecure()) as unknown as EchoClient;
});

afterAll(async () => {
  client?.close();
  await xds?.stop();
  for (const b of backends ?? []) b.server.forceShutdown();
  if (savedBootstrap === undefined) delete process.env.GRPC_XDS_BOOTSTRAP_CONFIG;
  else process.env.GRPC_XDS_BOOTSTRAP_CONFIG = savedBootstrap;
});

describe('@grpc/grpc-js-xds as an independent client of the control plane', () => {
  it('routes a gRPC call to the backend the control plane points it at, ACKing every resource type', { timeout: 20_000 }, async () => {
    expect(await echo(client, 'hello')).toEqual({ message: 'hello', servedBy: 'backend-1' });

    const counters = xds.counters();
    for (const typeUrl of [TypeUrl.Listener, TypeUrl.RouteConfiguration, TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment]) {
      expect(counters[typeUrl], typeUrl).toMatchObject({ nacks: 0 });
      expect(counters[typeUrl].acks, typeUrl).toBeGreaterThanOrEqual(1);
    }
    expect(xds.streams()).toEqual([expect.objectContaining({ nodeId: NODE_ID, variant: 'sotw' })]);
  });

  it('follows a route change to another cluster (new CDS, EDS and RDS pushed on the live stream)', { timeout: 20_000 }, async () => {
    xds.setSnapshot(NODE_ID, echoV2());
    await expect.poll(async () => (await echo(client, 'again')).servedBy, { timeout: 10_000, interval: 100 }).toBe('backend-2');
    expect(xds.counters()[TypeUrl.Cluster].nacks).toBe(0);
  });

  it('reports the NACK of a resource the client rejects, with its reason', { timeout: 20_000 }, async () => {
    const broken = grpcShapedResources({ listenerName: 'broken.kuscia', backends: [{ host: '127.0.0.1', port: backends[0].port }] }).map((r) =>
      r.typeUrl === TypeUrl.ClusterLoadAssignment ? { ...r, body: { clusterName: r.name, endpoints: [{ lbEndpoints: [] }] } } : r,
    );
    xds.setSnapshot(NODE_ID, [...echoV2(), ...broken]);
    const Echo = makeGenericClientConstructor(echoService, 'Echo');
    const brokenClient = new Echo('xds:///broken.kuscia', credentials.createInsecure()) as unknown as EchoClient;
    try {
      // The call only makes the channel subscribe; it cannot succeed (and ends when the client closes).
      const call = echo(brokenClient, 'x').catch(() => undefined);
      await expect.poll(() => xds.streams()[0]?.types[TypeUrl.ClusterLoadAssignment]?.lastNack?.message, { timeout: 10_000 }).toMatch(/locality unset/);
      expect(xds.counters()[TypeUrl.ClusterLoadAssignment].nacks).toBeGreaterThanOrEqual(1);
      brokenClient.close();
      await call;
    } finally {
      brokenClient.close();
    }
  });
});
