import type { ResourceType } from '../api/resource-type.ts';
import { contentHash, etagOf, ifNoneMatchHits } from '../discovery/etag.ts';
import type { DocumentResponse } from '../discovery/respond.ts';
import { servedGroups } from '../discovery/served-groups.ts';
import { buildGroupVersionDocument } from './group-version-document.ts';
import type { OpenApiSchema } from './openapi-schema.ts';

/** One rendered group-version document and the hash that names its immutable URL. */
export interface RenderedDocument {
  body: string;
  hash: string;
}

/**
 * Everything `/openapi/v3` serves for one set of resource types, rendered once: rebuild it when a
 * CRD is established or removed, and serve from it until then.
 */
export interface OpenApiV3Documents {
  /** Body of `GET /openapi/v3`. */
  index: string;
  /** Keyed by the path under /openapi/v3/: `api/v1`, `apis/apps/v1`, ... */
  groupVersions: Map<string, RenderedDocument>;
}

export interface OpenApiV3Input {
  types: readonly ResourceType[];
  definitions?: Record<string, OpenApiSchema>;
  serverVersion: string;
}

export function buildOpenApiV3Documents(input: OpenApiV3Input): OpenApiV3Documents {
  const groupVersions = new Map<string, RenderedDocument>();
  for (const group of servedGroups(input.types)) {
    for (const v of group.versions) {
      const path = group.name ? `apis/${group.name}/${v.version}` : `api/${v.version}`;
      const body = JSON.stringify(
        buildGroupVersionDocument({ group: group.name, version: v.version, types: v.resources, definitions: input.definitions, serverVersion: input.serverVersion }),
      );
      groupVersions.set(path, { body, hash: contentHash(body) });
    }
  }
  const paths = Object.fromEntries(
    [...groupVersions.keys()].sort().map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${groupVersions.get(p)!.hash}` }]),
  );
  return { index: JSON.stringify({ paths }), groupVersions };
}

export interface OpenApiV3Request {
  /** Path below `/openapi/v3`, without leading slash: '' for the index, `apis/apps/v1`, ... */
  path: string;
  /** The `hash` query parameter, when present. */
  hash?: string;
  ifNoneMatch?: string;
  accept?: string;
}

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The HTTP answer for `/openapi/v3[/<path>]`, following kube-openapi's handler: the index and every
 * document carry an ETag (304 on If-None-Match); a document fetched with the current `?hash=` is
 * immutable and cacheable for a year; a stale hash is redirected (301) to the current URL so clients
 * holding an old index still get fresh content. Only JSON is served (no protobuf).
 */
export function openApiV3Response(docs: OpenApiV3Documents, req: OpenApiV3Request, now = new Date()): DocumentResponse {
  if (req.accept && !acceptsJson(req.accept)) return { status: 406, headers: { 'Content-Type': 'application/json' }, body: '' };
  const path = req.path.replace(/^\/+|\/+$/g, '');
  if (path === '') return withEtag(docs.index, { 'Content-Type': 'application/json' }, req.ifNoneMatch);

  const doc = docs.groupVersions.get(path);
  if (!doc) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (req.hash !== undefined && req.hash !== '') {
    if (req.hash !== doc.hash) {
      return { status: 301, headers: { Location: `/openapi/v3/${path}?hash=${doc.hash}` }, body: '' };
    }
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(now.getTime() + ONE_YEAR_MS).toUTCString();
    headers.Vary = 'Accept';
  }
  return withEtag(doc.body, headers, req.ifNoneMatch);
}

function withEtag(body: string, headers: Record<string, string>, ifNoneMatch: string | undefined): DocumentResponse {
  const etag = etagOf(body);
  const all = { ...headers, ETag: etag };
  if (ifNoneMatchHits(ifNoneMatch, etag)) return { status: 304, headers: all, body: '' };
  return { status: 200, headers: all, body };
}

function acceptsJson(accept: string): boolean {
  return accept.split(',').some((range) => {
    const media = range.split(';')[0].trim().toLowerCase();
    return media === 'application/json' || media === '*/*' || media === 'application/*';
  });
}
