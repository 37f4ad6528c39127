import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './user-info.ts';
import { withAuthenticatedGroup } from './well-known-identities.ts';

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';

/**
 * x509 client certificates, as kube-apiserver's --client-ca-file authenticator reads them: the
 * chain must verify against the server CA (the TLS layer checks that and sets `authorized`), the
 * leaf must be usable for client authentication, and the subject gives the identity: CN is the
 * username, each O is a group (plus system:authenticated). A certificate without a CN
 * authenticates nobody.
 *
 * The peer certificate is the same for every request on a connection, so the result is kept per
 * socket: keep-alive clients pay for the parsing once.
 */
export class ClientCertAuthenticator {
  private readonly bySocket = new WeakMap<TLSSocket, UserInfo | null>();

  authenticate(socket: TLSSocket): UserInfo | undefined {
    let user = this.bySocket.get(socket);
    if (user === undefined) {
      user = socket.authorized ? userOfPeer(socket) : null;
      this.bySocket.set(socket, user);
    }
    return user ?? undefined;
  }
}

function userOfPeer(socket: TLSSocket): UserInfo | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return null;
  const usages = cert.ext_key_usage;
  // Go's x509 verification treats a certificate without extended key usages as usable for anything.
  if (usages && usages.length > 0 && !usages.includes(CLIENT_AUTH_EKU) && !usages.includes(ANY_EKU)) return null;
  const cn = firstValue(cert.subject.CN);
  if (!cn) return null;
  return withAuthenticatedGroup({ username: cn, groups: allValues(cert.subject.O) });
}

function allValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? [...v] : [v];
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return allValues(v)[0];
}
