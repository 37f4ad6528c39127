import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { bearerToken } from './bearer-token.ts';
import type { ClientCertAuthenticator } from './client-cert-authenticator.ts';
import type { ServiceAccountTokenAuthenticator } from './service-account-token-authenticator.ts';
import type { UserInfo } from './user-info.ts';

export interface RequestAuthenticatorDeps {
  clientCerts: ClientCertAuthenticator;
  serviceAccountTokens: ServiceAccountTokenAuthenticator;
  /** --token-auth-file users by token (already including system:authenticated). */
  staticTokens?: ReadonlyMap<string, UserInfo>;
}

/**
 * kube-apiserver's union of authenticators, in its order: a client certificate signed by the CA
 * wins; otherwise a bearer token is looked up in the static token file, then verified as a
 * service-account JWT. Undefined means nobody: the caller answers 401 Unauthorized.
 */
export class RequestAuthenticator {
  private readonly deps: RequestAuthenticatorDeps;

  constructor(deps: RequestAuthenticatorDeps) {
    this.deps = deps;
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const fromCert = this.deps.clientCerts.authenticate(req.socket as TLSSocket);
    if (fromCert) return fromCert;
    const token = bearerToken(req.headers);
    if (!token) return undefined;
    const fromFile = this.deps.staticTokens?.get(token);
    if (fromFile) return fromFile;
    // A JWT has three dot-separated parts; anything else is not worth a signature check.
    if (!looksLikeJwt(token)) return undefined;
    return this.deps.serviceAccountTokens.authenticate(token);
  }
}

function looksLikeJwt(token: string): boolean {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  return second > 0 && token.indexOf('.', second + 1) < 0;
}
