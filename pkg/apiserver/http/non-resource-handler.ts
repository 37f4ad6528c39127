import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { NonResourceRequestInfo } from './request-info.ts';
import { sendJson } from './respond.ts';
import { serveDiscovery } from './discovery-handler.ts';
import type { OpenApiHandler } from './openapi-handler.ts';
import { serveHealth } from './health-handler.ts';
import { versionInfo } from './version.ts';
import type { ApiServerMetrics } from '../metrics/apiserver-metrics.ts';

export interface NonResourceDeps {
  registry: ResourceRegistry;
  openapi: OpenApiHandler;
  metrics: Pick<ApiServerMetrics, 'render'>;
}

/** /version, health probes, /metrics, discovery and OpenAPI. */
export async function handleNonResourceRequest(deps: NonResourceDeps, req: IncomingMessage, res: ServerResponse, info: NonResourceRequestInfo, query: URLSearchParams): Promise<void> {
  const [first] = info.parts;
  if (info.verb !== 'get' && info.verb !== 'head') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (info.path === '/version' || info.path === '/version/') return sendJson(res, 200, versionInfo());
  if (first === 'healthz' || first === 'livez' || first === 'readyz') return serveHealth(res, info.parts, query);
  if (info.path === '/metrics') return serveMetrics(res, deps.metrics);
  if (first === 'api' || first === 'apis') return serveDiscovery(deps.registry, req, res, info.parts);
  if (first === 'openapi') return deps.openapi.serve(req, res, info.parts, query);
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** Prometheus text exposition. A non-resource URL: with RBAC only those granted get on /metrics read it. */
async function serveMetrics(res: ServerResponse, metrics: NonResourceDeps['metrics']): Promise<void> {
  const { contentType, body } = await metrics.render();
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
