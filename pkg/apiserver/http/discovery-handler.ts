import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.ts';
import { buildApiGroup, buildApiResourceList, etagOf } from '../discovery/index.ts';
import { discoveryRootResponse } from '../discovery/respond.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';

const notFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

/**
 * GET /api, /apis (legacy or aggregated per Accept), /api/v1, /apis/<group>, /apis/<group>/<version>.
 * Documents are rebuilt from the registry, which changes whenever a CRD is established or removed.
 */
export function serveDiscovery(registry: ResourceRegistry, req: IncomingMessage, res: ServerResponse, parts: string[]): void {
  const types = registry.all();
  if (parts.length === 1) {
    const host = req.socket.localAddress && req.socket.localPort ? `${req.socket.localAddress}:${req.socket.localPort}` : '127.0.0.1:6443';
    const answer = discoveryRootResponse(types, parts[0] === 'api' ? 'api' : 'apis', { accept: req.headers.accept, ifNoneMatch: req.headers['if-none-match'] }, host);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return;
  }
  let doc: unknown;
  if (parts[0] === 'api' && parts.length === 2) doc = buildApiResourceList(types, '', parts[1]);
  else if (parts[0] === 'apis' && parts.length === 2) doc = buildApiGroup(types, parts[1]);
  else if (parts[0] === 'apis' && parts.length === 3) doc = buildApiResourceList(types, parts[1], parts[2]);
  if (!doc) throw notFound();
  const body = JSON.stringify(doc);
  res.writeHead(200, { 'Content-Type': 'application/json', ETag: etagOf(body), 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
