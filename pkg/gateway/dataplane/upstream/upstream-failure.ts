/** Envoy's reset reasons, as they appear in local reply bodies ("reset reason: connection failure"). */
export type ResetReason = 'connection failure' | 'connection timeout' | 'connection termination' | 'remote reset' | 'local reset' | 'overflow';

/** An upstream request that did not complete. */
export class UpstreamFailure extends Error {
  readonly reason: ResetReason;
  constructor(reason: ResetReason, detail?: string) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'UpstreamFailure';
    this.reason = reason;
  }
}
