/** core/v1 namespaces: Active phase, the `kubernetes` finalizer, the metadata.name label. */
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/names.ts';
import { arrayAt, ensureObject, FieldError, setDefault, validateStricterName } from '../validation/fields.ts';

export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export const namespaceStrategy: ResourceStrategy = {
  prepareForCreate(ns: KubeObject): void {
    // Status starts Active; the `kubernetes` finalizer is required on create only (it is removed
    // through /finalize while the namespace is being deleted, so it cannot be a default).
    ns.status = { phase: 'Active' };
    const spec = ensureObject(ns, 'spec');
    const finalizers = (arrayAt(spec, 'finalizers') ?? []).filter((f) => typeof f === 'string');
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    spec.finalizers = finalizers;
  },
  prepareForUpdate(ns: KubeObject, old: KubeObject): void {
    // Finalizers change only through the /finalize subresource.
    const oldFinalizers = (old.spec as { finalizers?: unknown } | undefined)?.finalizers;
    const spec = ensureObject(ns, 'spec');
    // Only write when it differs: an update may share its spec with the stored object (registry).
    if (oldFinalizers === undefined) {
      if ('finalizers' in spec) delete spec.finalizers;
    } else if (spec.finalizers !== oldFinalizers) {
      spec.finalizers = oldFinalizers;
    }
  },
  applyDefaults(ns: KubeObject): void {
    setDefault(ensureObject(ns, 'status'), 'phase', 'Active');
    // spec.finalizers is `omitempty` in Go: a finalized namespace shows none rather than [].
    const spec = ensureObject(ns, 'spec');
    if (Array.isArray(spec.finalizers) && spec.finalizers.length === 0) delete spec.finalizers;
    // SetDefaults_Namespace: the immutable name label, so selectors can pick namespaces by name.
    if (ns.metadata.name) ns.metadata.labels = { ...ns.metadata.labels, [namespaceNameLabel]: ns.metadata.name };
  },
  validate(ns: KubeObject): FieldError[] {
    return validateStricterName(ns, isDNS1123Label, isDNS1123Subdomain);
  },
  validateUpdate(ns: KubeObject): FieldError[] {
    return validateStricterName(ns, isDNS1123Label, isDNS1123Subdomain);
  },
  deletion: {
    returnsDeletedObject: true,
    // DELETE puts the namespace into Terminating; the namespace controller empties it and removes
    // `kubernetes` from spec.finalizers through /finalize, and only then is it removed.
    termination: {
      begin(ns: KubeObject): void {
        ensureObject(ns, 'status').phase = 'Terminating';
      },
      held(ns: KubeObject): boolean {
        return (arrayAt(ns['spec'], 'finalizers') ?? []).length > 0;
      },
    },
  },
};
