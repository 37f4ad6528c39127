import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { ApiError, apiErrors } from '../apiserver/api/errors.ts';
import type { CertificateAuthority } from '../apiserver/certs/certificate-authority.ts';
import { issueServingCertificate } from '../apiserver/certs/certificate.ts';
import { sendError, sendJson } from '../apiserver/http/respond.ts';
import { isDNS1123Label } from '../apiserver/validation/name-validators.ts';
import type { KubeApi } from '../kube/api-client.ts';
import { ensureLiteClusterRbac, ensureLiteDomainRbac } from './lite-rbac.ts';
import { redeemDeployToken } from './redeem-deploy-token.ts';
import { REGISTER_PATH, type RegistrationRequest, type RegistrationResponse } from './registration-types.ts';
import { signLiteCertificate } from './sign-lite-certificate.ts';
import { storeDomainCert } from './store-domain-cert.ts';

export interface RegistrationServerOptions {
  /** Admin access to the master's API server (reads Domains, writes their status and RBAC). */
  api: KubeApi;
  /** The API server's CA: signs the lites' client certificates and the endpoint's serving certificate. */
  ca: CertificateAuthority;
  /** Handed to lites: where their agent talks to. */
  apiServerUrl: string;
  bind: string;
  port: number;
  log: Logger;
}

export interface RunningRegistrationServer {
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The master's lite registration endpoint (HTTPS): `POST /register` with {domainID, token,
 * publicKey} redeems the domain's unused deploy token and answers a client certificate for the
 * lite's agent, the CA and the API server URL. Errors are Kubernetes Status objects (401 wrong token,
 * 403 used token, 404 unknown domain). The issue-6 gateway will front it (Kuscia: /register on 1080).
 */
export async function startRegistrationServer(opts: RegistrationServerOptions): Promise<RunningRegistrationServer> {
  const log = opts.log.child({ component: 'registration' });
  await ensureLiteClusterRbac(opts.api);
  const serving = await issueServingCertificate(opts.ca, { commonName: 'kuscia-registration', sans: [...new Set(['127.0.0.1', 'localhost', hostname(), opts.bind])].filter((s) => s !== '0.0.0.0') });
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const apiErr = err instanceof ApiError ? err : apiErrors.internal('registration failed');
      if (!(err instanceof ApiError)) log.error({ err }, 'registration failed');
      sendError(res, apiErr);
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    // Kuscia's masterEndpoint may carry a path prefix: accept any path that ends in /register.
    if (!path.endsWith(REGISTER_PATH)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (req.method !== 'POST') throw apiErrors.methodNotAllowed();
    const body = parseRequest(await readBody(req));
    // Signed before the token is spent: a request with a bad key must not use up the token.
    let certificate: string;
    try {
      certificate = await signLiteCertificate(opts.ca, body.domainID, body.publicKey);
    } catch {
      throw apiErrors.badRequest('publicKey: not a PEM public key');
    }
    await redeemDeployToken(opts.api, body.domainID, body.token);
    await ensureLiteDomainRbac(opts.api, body.domainID);
    await storeDomainCert(opts.api, body.domainID, certificate);
    log.info({ domain: body.domainID }, 'lite registered');
    const answer: RegistrationResponse = { certificate, caCertificate: opts.ca.certPem, apiServer: opts.apiServerUrl };
    sendJson(res, 200, answer);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bind, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.bind === '0.0.0.0' ? '127.0.0.1' : opts.bind;
  return {
    url: `https://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseRequest(text: string): RegistrationRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw apiErrors.badRequest('the body must be JSON: {"domainID", "token", "publicKey"}');
  }
  const v = (value ?? {}) as Record<string, unknown>;
  for (const key of ['domainID', 'token', 'publicKey'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') throw apiErrors.badRequest(`${key}: Required value`);
  }
  const req = v as unknown as RegistrationRequest;
  if (isDNS1123Label(req.domainID).length > 0) throw apiErrors.badRequest(`domainID: Invalid value: ${JSON.stringify(req.domainID)}`);
  return req;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(apiErrors.requestEntityTooLarge(MAX_BODY_BYTES));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
