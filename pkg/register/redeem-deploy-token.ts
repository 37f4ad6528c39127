import { timingSafeEqual } from 'node:crypto';
import { ApiError, apiErrors } from '../apiserver/api/errors.ts';
import { DeployTokenState, type Domain } from '../crd/index.ts';
import type { KubeApi } from '../kube/api-client.ts';
import { isConflict, isNotFound } from '../kube/api-errors.ts';

const DOMAINS = '/apis/kuscia.secretflow/v1alpha1/domains';

/**
 * Checks `token` against the domain's deploy tokens and marks it used (the Domain controller then
 * mints the next unused one). Only an `unused` token registers; the status write carries the
 * resourceVersion read, so two lites racing with one token cannot both win.
 */
export async function redeemDeployToken(api: KubeApi, domainID: string, token: string, now: () => Date = () => new Date()): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let domain: Domain;
    try {
      domain = await api.request<Domain>('GET', `${DOMAINS}/${encodeURIComponent(domainID)}`);
    } catch (err) {
      if (isNotFound(err)) throw new ApiError(404, 'NotFound', `domain ${domainID} does not exist on this master (create its Domain first)`);
      throw err;
    }
    const tokens = domain.status?.deployTokenStatuses ?? [];
    const match = tokens.find((t) => sameToken(t.token, token));
    if (!match) throw apiErrors.unauthorized(`invalid deploy token for domain ${domainID}`);
    if (match.state !== DeployTokenState.Unused) throw new ApiError(403, 'Forbidden', `the deploy token for domain ${domainID} has already been used`);
    const updated: Domain = {
      ...domain,
      status: {
        ...domain.status,
        deployTokenStatuses: tokens.map((t) => (t === match ? { ...t, state: DeployTokenState.Used, lastTransitionTime: now().toISOString().replace(/\.\d+Z$/, 'Z') } : t)),
      },
    };
    try {
      await api.request('PUT', `${DOMAINS}/${encodeURIComponent(domainID)}/status`, { body: updated });
      return;
    } catch (err) {
      // Someone else wrote the Domain meanwhile (the controller, or a racing lite): read again.
      if (!isConflict(err)) throw err;
    }
  }
  throw new ApiError(409, 'Conflict', `the Domain ${domainID} kept changing; try registering again`);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
