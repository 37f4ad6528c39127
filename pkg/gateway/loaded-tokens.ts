/**
 * The destination side's part in a new token (Kuscia's gateway DomainRouteController): once this
 * instance's data plane runs routes that accept a peer's newest token, the instance is added to
 * that token's `effectiveInstances`. The DomainRoute controller marks the token ready when every
 * live gateway of the domain has it, and only then does the handshake answer the peer, so the
 * peer never sends a token this side would still refuse.
 */
import type { DomainRoute } from '../crd/index.ts';
import type { DomainRouteStore } from './handshake/index.ts';

/** Inbound token routes whose newest token this instance has not yet recorded as loaded. */
export function tokensToRecord(routes: readonly DomainRoute[], namespace: string, instance: string): Array<{ name: string; revision: number }> {
  const out: Array<{ name: string; revision: number }> = [];
  for (const route of routes) {
    const spec = route.spec;
    if (spec?.destination !== namespace || spec.source === namespace || (spec.authenticationType ?? 'Token') !== 'Token') continue;
    const newest = route.status?.tokenStatus?.tokens?.at(-1);
    if (newest?.token && !(newest.effectiveInstances ?? []).includes(instance)) out.push({ name: route.metadata?.name ?? '', revision: newest.revision ?? 0 });
  }
  return out;
}

/** Adds `instance` to the named route's token of `revision` (a no-op when it is gone or already there). */
export async function recordLoadedToken(store: DomainRouteStore, name: string, revision: number, instance: string): Promise<void> {
  await store.updateStatus(name, (route) => {
    const token = route.status?.tokenStatus?.tokens?.find((t) => (t.revision ?? 0) === revision);
    if (!token || (token.effectiveInstances ?? []).includes(instance)) return false;
    token.effectiveInstances = [...(token.effectiveInstances ?? []), instance];
    return true;
  });
}
