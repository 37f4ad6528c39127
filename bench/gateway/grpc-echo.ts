/**
 * The benchmark's gRPC service on raw bytes (no schema: the gateway only sees frames): `Unary`
 * answers its request, `Bidi` echoes every message and ends when the caller half-closes.
 */
import * as grpc from '@grpc/grpc-js';

const raw = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
const method = (name: string, requestStream: boolean, responseStream: boolean) => ({
  path: `/bench.Echo/${name}`,
  requestStream,
  responseStream,
  requestSerialize: raw.serialize,
  requestDeserialize: raw.deserialize,
  responseSerialize: raw.serialize,
  responseDeserialize: raw.deserialize,
});

export const echoService = { Unary: method('Unary', false, false), Bidi: method('Bidi', true, true) } satisfies grpc.ServiceDefinition;

export interface GrpcEchoServer {
  port: number;
  stop(): Promise<void>;
}

export async function startGrpcEchoServer(): Promise<GrpcEchoServer> {
  const server = new grpc.Server();
  server.addService(echoService, {
    Unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => done(null, call.request),
    Bidi: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (message: Buffer) => call.write(message));
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        // Graceful first; whatever a cancelled run left open is cut after a second.
        const timer = setTimeout(() => server.forceShutdown(), 1_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

/**
 * A client channel to `address` (host:port) that names `authority` as `:authority`: the direct
 * path names nothing special, the gateway path `<svc>.bob.svc`, which the gateway routes by. Its own
 * subchannel pool, so the direct and gateway clients never share a connection.
 */
export function echoClient(address: string, authority: string): grpc.Client {
  return new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.default_authority': authority,
    'grpc.use_local_subchannel_pool': 1,
  });
}

export function unaryCall(client: grpc.Client, payload: Buffer): Promise<Buffer> {
  const m = echoService.Unary;
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, payload, (err, reply) => (err ? reject(err) : resolve(reply!))),
  );
}

export function bidiCall(client: grpc.Client): grpc.ClientDuplexStream<Buffer, Buffer> {
  const m = echoService.Bidi;
  return client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize);
}
