/**
 * A minimal Kubernetes REST client for load generation: node:https with a keep-alive agent, the
 * admin client certificate from the kubeconfig (or a bearer token) and CA verification on. No
 * @kubernetes/client-node, so the figures measure the server rather than a client library.
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type AgentOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { parse } from 'yaml';

export interface TlsIdentity {
  ca: string;
  /** Client certificate and key; absent for a client that authenticates with a bearer token. */
  cert?: string;
  key?: string;
}

interface KubeconfigFile {
  clusters: { cluster: { 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

export function loadTlsIdentity(kubeconfigPath: string): TlsIdentity {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigFile;
  const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return {
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  };
}

export class HttpStatusError extends Error {
  readonly status: number;
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path} -> ${status}: ${body.slice(0, 300)}`);
    this.name = 'HttpStatusError';
    this.status = status;
  }
}

export interface Response {
  status: number;
  body: Buffer;
}

export class KubeRestClient {
  readonly baseUrl: URL;
  readonly identity: TlsIdentity;
  readonly agent: Agent;
  private readonly authorization: Record<string, string>;

  constructor(baseUrl: string, identity: TlsIdentity, agentOptions: AgentOptions = {}, bearerToken?: string) {
    this.baseUrl = new URL(baseUrl);
    this.identity = identity;
    this.agent = new Agent({ keepAlive: true, maxSockets: 32, ...identity, ...agentOptions });
    this.authorization = bearerToken ? { Authorization: `Bearer ${bearerToken}` } : {};
  }

  /** Sends a request and resolves once the whole body has arrived; non-2xx rejects. */
  async send(method: string, path: string, body?: unknown, contentType?: string): Promise<Response> {
    const res = await this.open(method, path, body, this.agent, contentType);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const buf = Buffer.concat(chunks);
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw new HttpStatusError(method, path, status, buf.toString('utf8'));
    return { status, body: buf };
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return JSON.parse((await this.send(method, path, body)).body.toString('utf8')) as T;
  }

  /** Resolves with the response head; the caller consumes (or streams) the body. Patches name their own content type. */
  open(method: string, path: string, body?: unknown, agent: Agent = this.agent, contentType = 'application/json'): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.baseUrl.hostname,
          port: this.baseUrl.port,
          method,
          path,
          agent,
          headers: {
            Accept: 'application/json',
            ...this.authorization,
            ...(payload === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }),
          },
        },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
