import type { ResourceClient } from '../../kube/resource-client.ts';
import type { ApiObject } from '../../kube/wire.ts';

/** The header a peer control plane's requests carry into our API server. */
export const AUTHORIZATION_HEADER = 'Authorization';
/** Kuscia asks for 10 years (3650 days): the route has no way to renew it. */
export const PEER_TOKEN_EXPIRATION_SECONDS = 3650 * 24 * 3600;

interface TokenRequestResult {
  status?: { token?: string };
}

/**
 * A token of ServiceAccount `<domain>` in namespace `<domain>` (the Domain controller creates both
 * and binds the domain's Role), through the TokenRequest API. The token is a credential: callers
 * must not log it.
 */
export async function requestPeerToken(serviceAccounts: ResourceClient<ApiObject>, domain: string): Promise<string> {
  const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: PEER_TOKEN_EXPIRATION_SECONDS } };
  const result = await serviceAccounts.createSubresource<TokenRequestResult>(domain, domain, 'token', body);
  const token = result.status?.token;
  if (!token) throw new Error(`TokenRequest for ServiceAccount ${domain}/${domain} returned no token`);
  return token;
}
