import { apiErrors } from '../api/errors.ts';

/** What representation the client asked for in its Accept header. */
export type Representation =
  | { kind: 'object' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partialMetadata'; version: 'v1' | 'v1beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const i = kv.indexOf('=');
        if (i > 0) p[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim();
      }
      return { type: type.toLowerCase(), params: p };
    })
    .filter((r) => r.type !== '');
}

/**
 * Picks the first acceptable representation in the client's order, as kube-apiserver's content
 * negotiation does. Protobuf is not served: clients that list JSON as an alternative get JSON, and
 * a client that accepts nothing we can produce gets 406.
 */
export function negotiate(accept: string | undefined): Representation {
  if (!accept) return { kind: 'object' };
  for (const r of parseAccept(accept)) {
    const jsonish = r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*' || r.type === 'application/yaml';
    if (!jsonish) continue;
    const as = r.params['as'];
    if (!as) return { kind: 'object' };
    if (r.params['g'] !== 'meta.k8s.io') continue;
    const v = r.params['v'];
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table') return { kind: 'table', version: v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: 'partialMetadata', version: v };
  }
  throw apiErrors.notAcceptable(`only the following media types are accepted: application/json, application/yaml`);
}

/** Whether the client prefers YAML for plain objects (kube-apiserver serves YAML when asked). */
export function wantsYaml(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = parseAccept(accept)[0];
  return first?.type === 'application/yaml';
}
