import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceType } from '../api/resource-type.ts';
import type { ListPage } from '../registry/rest-storage.ts';
import { buildTable } from '../table/build.ts';
import type { Representation } from './negotiation.ts';
import { sendJsonText } from './respond.ts';

/**
 * Response bodies for reads. Plain lists are assembled from the stored JSON texts without
 * parsing them again (a 10,000-object list is one string join); Tables and metadata-only
 * representations need the parsed objects.
 */
function listBody(rt: ResourceType, page: ListPage): string {
  return `${listHead(rt, page)}${page.items.map((e) => e.value).join(',')}]}`;
}

function listHead(rt: ResourceType, page: ListPage): string {
  let meta = `"resourceVersion":"${page.revision}"`;
  if (page.continueToken) meta += `,"continue":"${page.continueToken}"`;
  if (page.remainingItemCount !== undefined) meta += `,"remainingItemCount":${page.remainingItemCount}`;
  return `{"kind":"${rt.listKind}","apiVersion":"${apiVersionOf(rt)}","metadata":{${meta}},"items":[`;
}

/** Items per write when streaming a large list. */
const STREAM_BATCH = 500;

/**
 * Sends a plain list. Large ones are streamed in batches, waiting for the socket to drain, so a
 * 10,000-object list never exists as one 14 MB string plus its encoded copy in memory.
 */
export async function sendList(res: ServerResponse, rt: ResourceType, page: ListPage): Promise<void> {
  if (page.items.length <= STREAM_BATCH) return sendJsonText(res, 200, listBody(rt, page));
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let chunk = listHead(rt, page);
  for (let i = 0; i < page.items.length; i += STREAM_BATCH) {
    chunk += (i > 0 ? ',' : '') + page.items.slice(i, i + STREAM_BATCH).map((e) => e.value).join(',');
    if (!res.write(chunk)) await drained(res);
    if (res.destroyed) return;
    chunk = '';
  }
  res.end(']}');
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export interface TableOptions {
  noHeaders?: boolean;
  includeObject?: 'None' | 'Metadata' | 'Object';
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export function tableOf(rt: ResourceType, objects: KubeObject[], representation: Representation, now: Date, opts: TableOptions = {}): unknown {
  const table = buildTable(rt.table, objects, {
    now,
    includeObject: opts.includeObject ?? 'Metadata',
    noHeaders: opts.noHeaders ?? false,
    resourceVersion: opts.resourceVersion,
    continue: opts.continueToken,
    remainingItemCount: opts.remainingItemCount,
    version: representation.kind === 'table' ? representation.version : 'v1',
  });
  return table;
}

export function partialMetadata(obj: KubeObject, version: string): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export function partialMetadataList(objects: KubeObject[], page: ListPage, version: string): unknown {
  const metadata: Record<string, unknown> = { resourceVersion: String(page.revision) };
  if (page.continueToken) metadata['continue'] = page.continueToken;
  if (page.remainingItemCount !== undefined) metadata['remainingItemCount'] = page.remainingItemCount;
  return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${version}`, metadata, items: objects.map((o) => partialMetadata(o, version)) };
}
