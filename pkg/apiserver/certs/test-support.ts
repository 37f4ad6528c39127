import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pki } from './ensure-pki.ts';

/**
 * A throw-away HTTPS server presenting the PKI's serving certificate and asking for (but not
 * requiring) a client certificate, so tests can see both accepted and rejected clients.
 */
export async function startHttpsServer(
  pki: Pki,
  handler: (req: IncomingMessage, res: ServerResponse, peer: { authorized: boolean; subject?: Record<string, unknown> }) => void,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(
    { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const cert = socket.getPeerCertificate();
      handler(req, res, { authorized: socket.authorized, subject: cert?.subject as Record<string, unknown> | undefined });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
