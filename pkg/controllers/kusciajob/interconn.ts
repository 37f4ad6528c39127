/** Whether a job involves partners in other control planes (Kuscia or BFIA interconnection). */
import type { ObjectMeta } from '../../apiserver/api/object.ts';
import { Annotations, Labels } from '../../crd/constants.ts';

/** As Kuscia decides it: the party-list annotations written at initialization, or the protocol label. */
export function isInterConnJob(metadata: Pick<ObjectMeta, 'annotations' | 'labels'> | undefined): boolean {
  const annotations = metadata?.annotations ?? {};
  const labels = metadata?.labels ?? {};
  return (
    Object.hasOwn(annotations, Annotations.InterConnBFIAParties) ||
    Object.hasOwn(annotations, Annotations.InterConnKusciaParties) ||
    Object.hasOwn(labels, Labels.InterConnProtocolType)
  );
}

/** A job with BFIA partners (Kuscia: isBFIAInterConnJob). */
export function isBFIAJob(metadata: Pick<ObjectMeta, 'annotations'> | undefined): boolean {
  return Object.hasOwn(metadata?.annotations ?? {}, Annotations.InterConnBFIAParties);
}

/** A job with partners reached through Kuscia's own interconnection protocol. */
export function isKusciaInterConnJob(metadata: Pick<ObjectMeta, 'annotations'> | undefined): boolean {
  return Object.hasOwn(metadata?.annotations ?? {}, Annotations.InterConnKusciaParties);
}
