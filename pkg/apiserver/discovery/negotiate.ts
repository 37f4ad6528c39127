import { acceptsJson, parseAccept } from './accept-header.ts';
import type { AggregatedDiscoveryVersion } from './aggregated-documents.ts';

export type DiscoveryForm =
  | { form: 'aggregated'; version: AggregatedDiscoveryVersion; contentType: string }
  | { form: 'legacy'; contentType: 'application/json' }
  | { form: 'not-acceptable' };

/**
 * Content type of an aggregated discovery answer. client-go treats `/api` and `/apis` responses as
 * aggregated only when the response Content-Type carries exactly these parameters
 * (`discovery.ContentTypeIsGVK`); plain `application/json` means the legacy documents.
 */
export function aggregatedContentType(version: AggregatedDiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * Chooses the form of `/api` and `/apis` from the request's `Accept` header. kubectl sends
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,…v2beta1…,application/json`:
 * the first range we can produce wins. Protobuf ranges are skipped (we only speak JSON); a header
 * naming nothing we can produce yields `not-acceptable` (kube-apiserver answers 406).
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryForm {
  for (const range of parseAccept(accept)) {
    if (!acceptsJson(range)) continue;
    const { as, g, v } = range.params;
    if (as === undefined && g === undefined && v === undefined) return { form: 'legacy', contentType: 'application/json' };
    if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1')) {
      return { form: 'aggregated', version: v, contentType: aggregatedContentType(v) };
    }
    // Any other `as=` (Table, PartialObjectMetadata…) is not something discovery can be rendered as.
  }
  return { form: 'not-acceptable' };
}
