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
