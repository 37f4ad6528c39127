import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.ts';
import { objectKey } from '../registry/storage-keys.ts';
import type { Store } from '../storage/types.ts';
import type { ServiceAccountKey } from './service-account-key.ts';
import { CLOCK_LEEWAY_SECONDS, InvalidTokenError, verifyServiceAccountToken, type ObjectRef } from './service-account-token.ts';
import type { UserInfo } from './user-info.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';
import { ALL_AUTHENTICATED, serviceAccountGroups, serviceAccountUsername } from './well-known-identities.ts';

export interface ServiceAccountTokenAuthenticatorDeps {
  store: Store;
  key: ServiceAccountKey;
  issuer: string;
  /** A token is accepted when one of its audiences is one of these (kube-apiserver --api-audiences). */
  audiences: string[];
  now: () => Date;
  log: Logger;
  cacheSize?: number;
}

/** An object a token is bound to, and the store revision at which it was last checked. */
interface BoundObjectCheck {
  key: string;
  what: string;
  uid: string;
  modRevision: number;
}

interface CachedToken {
  user: UserInfo;
  expiresAtMs: number;
  checks: BoundObjectCheck[];
}

const serviceAccounts = { group: '', resource: 'serviceaccounts' };
const pods = { group: '', resource: 'pods' };
const secrets = { group: '', resource: 'secrets' };

/**
 * Bound service-account tokens (Kubernetes' JWT token authenticator + the legacy/bound token
 * validator): the signature, issuer, audience and expiry must hold, and the service account (and
 * the pod or secret the token is bound to) must still exist with the uid named in the token, so
 * deleting and recreating a service account invalidates its old tokens.
 *
 * A verified token is cached until it expires. A cache hit still looks the bound objects up in the
 * store, but only re-reads them when their modRevision moved, so a token costs a hash and a few map
 * lookups per request instead of a signature verification.
 */
export class ServiceAccountTokenAuthenticator {
  private readonly deps: ServiceAccountTokenAuthenticatorDeps;
  private readonly cache: VerifiedTokenCache<CachedToken>;

  constructor(deps: ServiceAccountTokenAuthenticatorDeps) {
    this.deps = deps;
    this.cache = new VerifiedTokenCache(deps.cacheSize);
  }

  async authenticate(token: string): Promise<UserInfo | undefined> {
    const cacheKey = VerifiedTokenCache.keyOf(token);
    const nowMs = this.deps.now().getTime();
    const cached = this.cache.get(cacheKey, nowMs);
    if (cached) {
      if (this.stillBound(cached.checks, nowMs)) return cached.user;
      this.cache.delete(cacheKey);
      return undefined;
    }
    try {
      const claims = await verifyServiceAccountToken(token, this.deps.key, this.deps.issuer, this.deps.audiences);
      const { namespace, serviceaccount, pod, secret } = claims.kubernetes;
      const checks = [this.check(objectKey(serviceAccounts, namespace, serviceaccount.name), `service account ${namespace}/${serviceaccount.name}`, serviceaccount)];
      if (pod) checks.push(this.check(objectKey(pods, namespace, pod.name), `pod ${namespace}/${pod.name}`, pod));
      if (secret) checks.push(this.check(objectKey(secrets, namespace, secret.name), `secret ${namespace}/${secret.name}`, secret));
      for (const c of checks) this.requireCurrent(c, this.deps.now().getTime());
      const extra: Record<string, string[]> = {};
      if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
      if (pod) {
        extra['authentication.kubernetes.io/pod-name'] = [pod.name];
        extra['authentication.kubernetes.io/pod-uid'] = [pod.uid];
      }
      const user: UserInfo = {
        username: serviceAccountUsername(namespace, serviceaccount.name),
        uid: serviceaccount.uid,
        groups: [...serviceAccountGroups(namespace), ALL_AUTHENTICATED],
        extra,
      };
      this.cache.set(cacheKey, { user, expiresAtMs: claims.expiresAt + CLOCK_LEEWAY_SECONDS * 1000, checks });
      return user;
    } catch (e) {
      if (!(e instanceof InvalidTokenError)) throw e;
      this.deps.log.debug({ reason: e.message }, 'service account token rejected');
      return undefined;
    }
  }

  private check(key: string, what: string, ref: ObjectRef): BoundObjectCheck {
    return { key, what, uid: ref.uid, modRevision: -1 };
  }

  private stillBound(checks: BoundObjectCheck[], nowMs: number): boolean {
    try {
      for (const c of checks) this.requireCurrent(c, nowMs);
      return true;
    } catch (e) {
      if (!(e instanceof InvalidTokenError)) throw e;
      this.deps.log.debug({ reason: e.message }, 'cached service account token no longer valid');
      return false;
    }
  }

  /** Throws unless the object exists with the token's uid and has not been deleting for long. */
  private requireCurrent(c: BoundObjectCheck, nowMs: number): void {
    const entry = this.deps.store.get(c.key);
    if (!entry) throw new InvalidTokenError(`${c.what} not found`);
    if (entry.modRevision === c.modRevision) return;
    const obj = JSON.parse(entry.value) as KubeObject;
    if (obj.metadata.uid !== c.uid) throw new InvalidTokenError(`${c.what} uid (${obj.metadata.uid}) does not match claim (${c.uid})`);
    // Kubernetes keeps accepting tokens of an object for a minute after its deletion started.
    const deleting = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) : undefined;
    if (deleting !== undefined && deleting < nowMs - CLOCK_LEEWAY_SECONDS * 1000) throw new InvalidTokenError(`${c.what} has been deleted`);
    // An object being deleted is re-read on every request until its grace minute is over.
    if (deleting === undefined) c.modRevision = entry.modRevision;
  }
}
