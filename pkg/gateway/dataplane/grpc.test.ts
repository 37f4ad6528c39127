import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvoyProtos } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { HTTP2_UPSTREAM, listener, routeConfig, staticCluster } from './testing/envoy-resources.ts';

/** A gRPC service on raw bytes: no schema needed to test transport semantics. */
const raw = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
const service: grpc.ServiceDefinition = {
  unary: { path: '/test.Echo/Unary', requestStream: false, responseStream: false, requestSerialize: raw.serialize, requestDeserialize: raw.deserialize, responseSerialize: raw.serialize, responseDeserialize: raw.deserialize },
  watch: { path: '/test.Echo/Watch', requestStream: false, responseStream: true, requestSerialize: raw.serialize, requestDeserialize: raw.deserialize, responseSerialize: raw.serialize, responseDeserialize: raw.deserialize },
};
const EchoClient = grpc.makeGenericClientConstructor(service, 'Echo');
type EchoClientInstance = grpc.Client & {
  unary(req: Buffer, cb: (err: grpc.ServiceError | null, res?: Buffer) => void): void;
  watch(req: Buffer): grpc.ClientReadableStream<Buffer>;
};

describe('built-in data plane: gRPC over h2c', () => {
  let dp: DataPlane;
  let server: grpc.Server;
  let client: EchoClientInstance;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(service, {
      unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        const text = call.request.toString();
        if (text === 'fail') return cb({ code: grpc.status.FAILED_PRECONDITION, details: 'no such thing' });
        const md = new grpc.Metadata();
        md.set('x-seen-host', String(call.metadata.get('kuscia-host')[0] ?? ''));
        call.sendMetadata(md);
        cb(null, Buffer.from(`echo:${text}`));
      },
      watch: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
        const count = Number(call.request.toString());
        let i = 0;
        const timer = setInterval(() => {
          if (i < count) return void call.write(Buffer.from(`event-${i++}`));
          clearInterval(timer);
          const trailer = new grpc.Metadata();
          trailer.set('x-total', String(count));
          call.emit('error', { code: grpc.status.OUT_OF_RANGE, details: 'no more events', metadata: trailer });
        }, 20);
        call.on('cancelled', () => clearInterval(timer));
      },
    });
    const backendPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    dp = await startDataPlane({ nodeId: 'test', log: pino({ level: 'silent' }), protos: await loadEnvoyProtos() });
    await dp.applyResources([
      staticCluster('grpc-backend', [{ port: backendPort }], HTTP2_UPSTREAM),
      listener('edge', 0),
      routeConfig('edge-route', [
        {
          name: 'svc',
          domains: ['echo.alice.svc'],
          routes: [
            {
              match: { prefix: '/', headers: [{ name: 'content-type', stringMatch: { prefix: 'application/grpc' } }] },
              route: { cluster: 'grpc-backend', timeout: {}, idleTimeout: { seconds: 60 } },
              requestHeadersToAdd: [{ header: { key: 'Kuscia-Host', value: '%REQ(:authority)%' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
            },
          ],
        },
      ]),
    ]);
    const port = dp.listeners()[0].port;
    client = new EchoClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': 'echo.alice.svc' }) as unknown as EchoClientInstance;
  });

  afterAll(async () => {
    client?.close();
    await dp?.stop();
    server?.forceShutdown();
  });

  it('proxies a unary call with its response metadata', async () => {
    const result = await new Promise<{ body: string; host: string }>((resolve, reject) => {
      let host = '';
      const call = client.unary(Buffer.from('hello'), (err, res) => (err ? reject(err) : resolve({ body: String(res), host })));
      (call as unknown as grpc.ClientUnaryCall).on('metadata', (md) => (host = String(md.get('x-seen-host')[0])));
    });
    expect(result).toEqual({ body: 'echo:hello', host: 'echo.alice.svc' });
  });

  it('passes a unary error status (trailers-only response) through', async () => {
    const err = await new Promise<grpc.ServiceError>((resolve) => client.unary(Buffer.from('fail'), (e) => resolve(e as grpc.ServiceError)));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toBe('no such thing');
  });

  it('streams server messages and forwards the final status and trailers', async () => {
    const events: string[] = [];
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      const call = client.watch(Buffer.from('5'));
      call.on('data', (b: Buffer) => events.push(b.toString()));
      call.on('status', resolve);
      call.on('error', () => undefined);
    });
    expect(events).toEqual(['event-0', 'event-1', 'event-2', 'event-3', 'event-4']);
    expect(status.code).toBe(grpc.status.OUT_OF_RANGE);
    expect(status.details).toBe('no more events');
    expect(status.metadata.get('x-total')).toEqual(['5']);
  });

  it('answers a call with no route as UNIMPLEMENTED (Envoy maps the local 404)', async () => {
    const other = new EchoClient(`127.0.0.1:${dp.listeners()[0].port}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': 'nobody.alice.svc' }) as unknown as EchoClientInstance;
    try {
      const err = await new Promise<grpc.ServiceError>((resolve) => other.unary(Buffer.from('x'), (e) => resolve(e as grpc.ServiceError)));
      expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
    } finally {
      other.close();
    }
  });
});
