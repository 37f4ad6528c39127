import type { ResourceType } from '../api/resource-type.ts';
import { buildAggregatedDiscovery } from './aggregated-documents.ts';
import { etagOf, ifNoneMatchHits } from './etag.ts';
import { buildApiGroupList, buildApiVersions } from './legacy-documents.ts';
import { negotiateDiscovery } from './negotiate.ts';

/** A fully decided HTTP answer; the HTTP layer only copies it onto the wire. */
export interface DocumentResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface DiscoveryRequest {
  accept?: string;
  ifNoneMatch?: string;
}

/**
 * Answer for `GET /api` (`root: 'api'`) or `GET /apis` (`root: 'apis'`): aggregated or legacy form
 * per `Accept`, with an ETag (304 on a matching If-None-Match) and `Vary: Accept` because the same URL
 * has two representations. 406 when the client accepts neither.
 */
export function discoveryRootResponse(
  types: readonly ResourceType[],
  root: 'api' | 'apis',
  req: DiscoveryRequest,
  serverAddress: string,
): DocumentResponse {
  const choice = negotiateDiscovery(req.accept);
  if (choice.form === 'not-acceptable') {
    return { status: 406, headers: { 'Content-Type': 'application/json' }, body: '' };
  }
  const doc =
    choice.form === 'aggregated'
      ? buildAggregatedDiscovery(types, root === 'api' ? 'core' : 'groups', choice.version)
      : root === 'api'
        ? buildApiVersions(serverAddress)
        : buildApiGroupList(types);
  const body = JSON.stringify(doc);
  const etag = etagOf(body);
  const headers = { 'Content-Type': choice.contentType, ETag: etag, Vary: 'Accept' };
  if (ifNoneMatchHits(req.ifNoneMatch, etag)) return { status: 304, headers, body: '' };
  return { status: 200, headers, body };
}
