/**
 * The Ready condition of a ClusterDomainRoute: reasons and messages as Kuscia writes them
 * (`DestinationIsNotAuthrized` is misspelled in the original and kept, clients match on it), plus
 * the reasons for what Kuscia only logged and retried (a missing Domain, an invalid spec, a
 * DomainRoute of the same name it does not own), so they show in `kubectl describe cdr`.
 */
export const ReadyReason = {
  /** True: reason empty, message "Success". */
  Success: '',
  TokenNotGenerate: 'TokenNotGenerate',
  DestinationIsNotAuthorized: 'DestinationIsNotAuthrized',
  DestinationUnreachable: 'DestinationUnreachable',
  HeartBeatTimeout: 'HeartBeatTimeout',
  TokenRevisionNotMatch: 'TokenRevisionNotMatch',
  /** Kuscia's DoValidate failed; the message is its error text. */
  InvalidSpec: 'DoValidate',
  DomainNotFound: 'DomainNotFound',
  /** A DomainRoute `<src>-<dst>` exists that the ClusterDomainRoute does not control. */
  ResourceExists: 'ErrResourceExists',
} as const;

export const READY_SUCCESS_MESSAGE = 'Success';

export interface ReadyVerdict {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export const READY: ReadyVerdict = { status: 'True', reason: ReadyReason.Success, message: READY_SUCCESS_MESSAGE };

export function notReady(reason: string, message: string): ReadyVerdict {
  return { status: 'False', reason, message };
}
