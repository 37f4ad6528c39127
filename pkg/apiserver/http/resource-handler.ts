import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, apiErrors } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { ListParams, PatchType, RestStorage, WriteResult } from '../registry/rest-storage.ts';
import { compileSelection } from '../registry/selection.ts';
import { collectionPrefix } from '../registry/storage-keys.ts';
import { parseWriteOptions } from '../registry/write-options.ts';
import { serveWatch, type WatchServerOptions, type WatchTracker } from '../watch/serve-watch.ts';
import { bindPod } from './pod-binding.ts';
import { servePodLog, type PodLogDeps } from './pod-log.ts';
import { getScale, patchScale, updateScale } from './scale-subresource.ts';
import { decodeBody, mediaType, readBody } from './body.ts';
import { readDeleteOptions } from './delete-options.ts';
import { negotiate, type Representation } from './negotiation.ts';
import { partialMetadata, partialMetadataList, sendList, tableOf } from './render.ts';
import type { ResourceRequestInfo } from './request-info.ts';
import type { UserInfo } from '../auth/user-info.ts';
import type { VirtualResources } from './virtual-resources.ts';
import { sendJson, sendJsonText } from './respond.ts';

export interface ResourceHandlerDeps {
  registry: ResourceRegistry;
  rest: RestStorage;
  now: () => Date;
  watch: WatchServerOptions;
  watches: WatchTracker;
  /** TokenRequest and the reviews: created per request, never stored. */
  virtual?: VirtualResources;
  /** The resource type as `user` writes it (RBAC escalation checks bind the RBAC kinds' strategies to the user). */
  forUser?: (rt: ResourceType, user: UserInfo) => ResourceType;
  /** pods/log: how to reach node agents. */
  podLog?: PodLogDeps;
}

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

const notFoundResource = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

/** Routes one resource request (/api/..., /apis/...) to the REST storage and renders the answer. */
export async function handleResourceRequest(
  deps: ResourceHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  info: ResourceRequestInfo,
  query: URLSearchParams,
  user: UserInfo,
): Promise<void> {
  const served = deps.registry.get(info.group, info.version, info.resource);
  if (!served) throw notFoundResource();
  const rt = deps.forUser ? deps.forUser(served, user) : served;
  if (info.subresource && !rt.subresources.includes(info.subresource)) throw notFoundResource();
  // A namespaced resource addressed by name needs its namespace; a cluster-scoped one must not have one.
  if (rt.namespaced && info.name && !info.namespace) throw notFoundResource();
  if (!rt.namespaced && info.namespace && rt.resource !== 'namespaces') throw notFoundResource();
  if (!rt.verbs.includes(info.verb) && !(info.subresource && info.verb !== 'list')) throw apiErrors.methodNotAllowed();
  // PUT and PATCH address one object; on a collection they are not allowed (as in Kubernetes).
  if ((info.verb === 'update' || info.verb === 'patch') && !info.name) throw apiErrors.methodNotAllowed();
  const ns = rt.namespaced ? info.namespace : '';
  // A computed subresource (serviceaccounts/token) only answers create.
  if (info.subresource && info.verb !== 'create' && deps.virtual?.createHandler(rt.group, rt.resource, info.subresource)) throw apiErrors.methodNotAllowed();
  // namespaces/<n>/finalize is write-only: Kubernetes serves it for PUT alone.
  if (info.subresource === 'finalize' && info.verb !== 'update') throw apiErrors.methodNotAllowed();

  if (info.subresource === 'scale') return serveScale(deps, req, res, rt, ns, info, query);
  if (info.subresource === 'log' && rt.resource === 'pods' && rt.group === '') {
    if (info.verb !== 'get' || !deps.podLog) throw apiErrors.methodNotAllowed();
    return servePodLog(deps.podLog, res, rt, ns, info.name, query);
  }

  switch (info.verb) {
    case 'get': {
      const entry = deps.rest.get(rt, ns, info.name);
      return sendRead(res, rt, entry.value, negotiate(req.headers.accept), deps.now(), query);
    }
    case 'list':
      return serveList(deps, res, rt, ns, listParams(query), negotiate(req.headers.accept), query);
    case 'watch': {
      const params = listParams(query);
      let fieldSelector = params.fieldSelector;
      if (info.name) fieldSelector = [fieldSelector, `metadata.name=${info.name}`].filter(Boolean).join(',');
      const selection = compileSelection(rt, params.labelSelector, fieldSelector);
      const timeout = query.get('timeoutSeconds');
      const sie = query.get('sendInitialEvents');
      serveWatch(
        res,
        {
          rt,
          prefix: collectionPrefix(rt, ns),
          selection,
          representation: negotiate(req.headers.accept),
          resourceVersion: params.resourceVersion,
          allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
          sendInitialEvents: sie === null ? null : sie === 'true',
          timeoutSeconds: timeout === null ? null : nonNegativeInt('timeoutSeconds', timeout),
        },
        deps.watch,
        deps.watches,
      );
      return;
    }
    case 'create': {
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      const opts = parseWriteOptions(query, req.headers['user-agent']);
      if (info.subresource) deps.rest.admitSubresourceCreate(rt, ns, info.name);
      const virtual = info.name && !info.subresource ? undefined : deps.virtual?.createHandler(rt.group, rt.resource, info.subresource);
      if (virtual) return sendWrite(res, await virtual({ rt, namespace: ns, name: info.name, body, user, opts }), opts.warnings);
      if (info.subresource === 'binding' && rt.resource === 'pods') return sendWrite(res, bindPod(deps.rest, rt, ns, info.name, body, opts), opts.warnings);
      if (info.name || info.subresource) throw apiErrors.methodNotAllowed();
      return sendWrite(res, deps.rest.create(rt, ns, body, opts), opts.warnings);
    }
    case 'update': {
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      const opts = parseWriteOptions(query, req.headers['user-agent']);
      return sendWrite(res, deps.rest.update(rt, ns, info.name, info.subresource, body, opts), opts.warnings);
    }
    case 'patch': {
      const type = patchTypes[mediaType(req.headers['content-type'])];
      if (!type) throw apiErrors.unsupportedMediaType(req.headers['content-type'] ?? '');
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      const opts = parseWriteOptions(query, req.headers['user-agent']);
      if (type === 'apply' && !query.get('fieldManager')) {
        throw apiErrors.badRequest('PATCH, application/apply-patch+yaml requests must pass a fieldManager query parameter');
      }
      const force = query.get('force') === 'true';
      if (force && type !== 'apply') throw apiErrors.badRequest('force is only allowed with server-side apply');
      return sendWrite(res, deps.rest.patch(rt, ns, info.name, info.subresource, type, body, { ...opts, force }), opts.warnings);
    }
    case 'delete': {
      const options = await readDeleteOptions(req, query);
      return sendWrite(res, deps.rest.delete(rt, ns, info.name, options), []);
    }
    case 'deletecollection': {
      const options = await readDeleteOptions(req, query);
      return sendWrite(res, deps.rest.deleteCollection(rt, ns, listParams(query), options), []);
    }
  }
}

async function serveScale(deps: ResourceHandlerDeps, req: IncomingMessage, res: ServerResponse, rt: ResourceType, ns: string, info: ResourceRequestInfo, query: URLSearchParams): Promise<void> {
  if (info.verb === 'get') return sendJsonText(res, 200, getScale(deps.rest, rt, ns, info.name));
  const opts = parseWriteOptions(query, req.headers['user-agent']);
  if (info.verb === 'update') {
    const body = decodeBody(await readBody(req), req.headers['content-type']);
    return sendWrite(res, updateScale(deps.rest, rt, ns, info.name, body, opts), opts.warnings);
  }
  if (info.verb === 'patch') {
    const type = patchTypes[mediaType(req.headers['content-type'])];
    if (!type) throw apiErrors.unsupportedMediaType(req.headers['content-type'] ?? '');
    const body = decodeBody(await readBody(req), req.headers['content-type']);
    return sendWrite(res, patchScale(deps.rest, rt, ns, info.name, type, body, opts), opts.warnings);
  }
  throw apiErrors.methodNotAllowed();
}

function sendRead(res: ServerResponse, rt: ResourceType, text: string, representation: Representation, now: Date, query: URLSearchParams): void {
  if (representation.kind === 'object') return sendJsonText(res, 200, text);
  const obj = JSON.parse(text) as KubeObject;
  if (representation.kind === 'partialMetadata') return sendJson(res, 200, partialMetadata(obj, representation.version));
  return sendJson(res, 200, tableOf(rt, [obj], representation, now, { includeObject: includeObject(query), resourceVersion: obj.metadata.resourceVersion }));
}

async function serveList(deps: ResourceHandlerDeps, res: ServerResponse, rt: ResourceType, ns: string, params: ListParams, representation: Representation, query: URLSearchParams): Promise<void> {
  const page = deps.rest.list(rt, ns, params);
  if (representation.kind === 'object') return sendList(res, rt, page);
  const objects = page.items.map((e) => JSON.parse(e.value) as KubeObject);
  if (representation.kind === 'partialMetadata') return sendJson(res, 200, partialMetadataList(objects, page, representation.version));
  return sendJson(
    res,
    200,
    tableOf(rt, objects, representation, deps.now(), {
      includeObject: includeObject(query),
      resourceVersion: String(page.revision),
      continueToken: page.continueToken,
      remainingItemCount: page.remainingItemCount,
    }),
  );
}

function sendWrite(res: ServerResponse, result: WriteResult, warnings: string[]): void {
  if (warnings.length > 0) res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  sendJsonText(res, result.code, result.body);
}

function includeObject(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw apiErrors.badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
}

function listParams(query: URLSearchParams): ListParams {
  const limit = query.get('limit');
  return {
    labelSelector: query.get('labelSelector'),
    fieldSelector: query.get('fieldSelector'),
    limit: limit === null || limit === '' ? 0 : nonNegativeInt('limit', limit),
    continueToken: query.get('continue') || null,
    resourceVersion: query.get('resourceVersion'),
    resourceVersionMatch: query.get('resourceVersionMatch'),
  };
}

function nonNegativeInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw apiErrors.badRequest(`${name}: Invalid value: ${JSON.stringify(v)}: must be a non-negative integer`);
  return n;
}
