import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { NonResourceRequestInfo } from './request-info.ts';
import { sendJson } from './respond.ts';
import { serveDiscovery } from './discovery-handler.ts';
import type { OpenApiHandler } from './openapi-handler.ts';
import { serveHealth } from './health-handler.ts';
import { versionInfo } from './version.ts';

export interface NonResourceDeps {
  registry: ResourceRegistry;
  openapi: OpenApiHandler;
}

/** /version, health probes, discovery and OpenAPI. */
export async function handleNonResourceRequest(deps: NonResourceDeps, req: IncomingMessage, res: ServerResponse, info: NonResourceRequestInfo, query: URLSearchParams): Promise<void> {
  const [first] = info.parts;
  if (info.verb !== 'get' && info.verb !== 'head') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (info.path === '/version' || info.path === '/version/') return sendJson(res, 200, versionInfo());
  if (first === 'healthz' || first === 'livez' || first === 'readyz') return serveHealth(res, info.parts, query);
  if (first === 'api' || first === 'apis') return serveDiscovery(deps.registry, req, res, info.parts);
  if (first === 'openapi') return deps.openapi.serve(req, res, info.parts, query);
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}
