import type { KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceType } from '../api/resource-type.ts';
import type { ListPage } from '../registry/rest-storage.ts';
import { buildTable } from '../table/build.ts';
import type { Representation } from './negotiation.ts';

/**
 * Response bodies for reads. Plain lists are assembled from the stored JSON texts without
 * parsing them again (a 10,000-object list is one string join); Tables and metadata-only
 * representations need the parsed objects.
 */
export function listBody(rt: ResourceType, page: ListPage): string {
  let meta = `"resourceVersion":"${page.revision}"`;
  if (page.continueToken) meta += `,"continue":"${page.continueToken}"`;
  if (page.remainingItemCount !== undefined) meta += `,"remainingItemCount":${page.remainingItemCount}`;
  const items = page.items.map((e) => e.value).join(',');
  return `{"kind":"${rt.listKind}","apiVersion":"${apiVersionOf(rt)}","metadata":{${meta}},"items":[${items}]}`;
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
