import type { IncomingMessage, ServerResponse } from 'node:http';
import { request, type Agent } from 'node:https';
import { ApiError, apiErrors } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { CertificatePair } from '../certs/index.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import { containerLogUrl, kubeletHostPort, logContainer } from './pod-log-location.ts';

export interface PodLogDeps {
  rest: RestStorage;
  nodes: ResourceType;
  /** The API server's kubelet-client certificate, presented to node agents. */
  kubeletClient: CertificatePair;
  /** Keeps TLS sessions to agents alive between requests. */
  agent?: Agent;
}

/** Bodies of agent errors are short texts; more is not read. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * GET pods/<name>/log: finds the pod's container and node and streams the node agent's
 * `/containerLogs` answer to the client chunk by chunk (kube-apiserver's LogREST + LocationStreamer).
 * The client going away closes the upstream request, which ends a follow on the agent.
 */
export async function servePodLog(deps: PodLogDeps, res: ServerResponse, pods: ResourceType, namespace: string, name: string, query: URLSearchParams): Promise<void> {
  const pod = JSON.parse(deps.rest.get(pods, namespace, name).value) as KubeObject;
  const container = logContainer(pod, query.get('container') ?? '');
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) {
    // kube-apiserver: "If pod has not been assigned a host, return an empty location" → an empty log.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  const node = JSON.parse(deps.rest.get(deps.nodes, '', nodeName).value) as KubeObject;
  const url = containerLogUrl(kubeletHostPort(node), namespace, name, container, query);

  const upstream = request(url, {
    method: 'GET',
    cert: deps.kubeletClient.certPem,
    key: deps.kubeletClient.keyPem,
    // As kube-apiserver without --kubelet-certificate-authority: the agent's serving certificate is
    // not verified; the agent verifies us.
    rejectUnauthorized: false,
    agent: deps.agent,
  });
  // The response closes when the client goes away (or when we finished): the agent's stream goes too.
  res.on('close', () => upstream.destroy());
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', (err) => reject(new ApiError(500, '', `Get "${url.href}": ${err.message}`)));
    upstream.end();
  });
  const status = response.statusCode ?? 500;
  if (status < 200 || status > 206) throw upstreamError(status, await readLimited(response));

  res.writeHead(200, { 'Content-Type': response.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  await new Promise<void>((resolve) => {
    // Each chunk goes out as it comes: `kubectl logs -f` shows lines while the container writes them.
    response.on('data', (chunk: Buffer) => {
      if (!res.write(chunk)) {
        response.pause();
        res.once('drain', () => response.resume());
      }
    });
    response.once('end', () => {
      res.end();
      resolve();
    });
    response.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', () => resolve());
  });
}

/** kube-apiserver's GenericHttpResponseChecker: the agent's text becomes the Status message. */
function upstreamError(status: number, body: string): ApiError {
  if (status === 400) return apiErrors.badRequest(body);
  if (status === 500) return apiErrors.internal(body);
  if (status === 404) return new ApiError(404, 'NotFound', body);
  if (status === 403) return new ApiError(403, 'Forbidden', body);
  return new ApiError(status, '', body);
}

function readLimited(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < MAX_ERROR_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY).trim()));
    response.once('error', () => resolve(Buffer.concat(chunks).toString('utf8').trim()));
  });
}
