/**
 * Which names the responder answers itself. Kuscia's apps address services as `<svc>.<domain>.svc`
 * and its CoreDNS plugin sends all of them to the gateway; here every such name resolves to the
 * domain gateway's address, whose internal listener routes by Host (local services by their
 * virtual hosts, peers' `*.<peer>.svc` to the peer's gateway, anything unknown 404). DNS names are
 * case-insensitive (RFC 4343); a trailing dot never reaches the wire.
 */
export type SvcName =
  /** `<svc>.<domain>.svc`: the gateway's address. */
  | { kind: 'service'; service: string; domain: string }
  /**
   * `svc` and `<domain>.svc`: names exist below them, so they exist (empty non-terminals,
   * RFC 8020): no data, but not NXDOMAIN, or a resolver could conclude nothing below exists.
   */
  | { kind: 'empty-non-terminal' }
  /** Deeper names under `svc` (`a.b.c.svc`): no such name. */
  | { kind: 'nonexistent' }
  /** Anything else: the upstream resolvers'. */
  | { kind: 'forward' };

export const SVC_ZONE = 'svc';

export function classifySvcName(labels: readonly string[]): SvcName {
  const lower = labels.map((l) => l.toLowerCase());
  if (lower.at(-1) !== SVC_ZONE) return { kind: 'forward' };
  if (lower.length === 3) return { kind: 'service', service: lower[0]!, domain: lower[1]! };
  if (lower.length < 3) return { kind: 'empty-non-terminal' };
  return { kind: 'nonexistent' };
}
