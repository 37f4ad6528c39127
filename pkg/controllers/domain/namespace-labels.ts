import { Labels, type Domain } from '../../crd/index.ts';

/** Label values a merge patch sets (string) or removes (null). */
export type LabelPatch = Record<string, string | null>;

/** The labels Kuscia keeps on a domain's namespace; the keys it owns there. */
export function namespaceLabelsFor(domain: Domain): Record<string, string> {
  const name = domain.metadata.name ?? '';
  const labels: Record<string, string> = { [Labels.DomainName]: name };
  if (domain.spec?.role) labels[Labels.DomainRole] = domain.spec.role;
  // Only the first protocol is used (Kuscia supports one per domain so far).
  const protocol = domain.spec?.interConnProtocols?.[0];
  if (protocol) labels[Labels.InterConnProtocols] = protocol;
  return labels;
}

/**
 * The merge patch that brings an existing namespace's labels in line with its Domain: Kuscia's own
 * keys set or removed, the soft-delete mark removed, every other label left alone. Undefined when
 * nothing needs to change.
 */
export function namespaceLabelPatch(current: Record<string, string> | undefined, domain: Domain): LabelPatch | undefined {
  const have = current ?? {};
  const want = namespaceLabelsFor(domain);
  const patch: LabelPatch = {};
  for (const key of [Labels.DomainName, Labels.DomainRole, Labels.InterConnProtocols]) {
    const value = want[key];
    if (value !== undefined && have[key] !== value) patch[key] = value;
    if (value === undefined && key in have) patch[key] = null;
  }
  if (Labels.DomainDeleted in have) patch[Labels.DomainDeleted] = null;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** Soft delete: the mark Kuscia puts on the namespace of a deleted Domain instead of deleting it. */
export const DELETED_NAMESPACE_LABELS: LabelPatch = { [Labels.DomainDeleted]: 'true' };
