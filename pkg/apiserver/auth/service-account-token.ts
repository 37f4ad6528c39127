import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { isPlainObject } from '../api/object.ts';
import type { ServiceAccountKey } from './service-account-key.ts';
import { serviceAccountUsername } from './well-known-identities.ts';

/** K3s's default service-account issuer; the API audiences default to it too. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** Kubernetes accepts exp/nbf this far off (go-jose's default leeway). */
export const CLOCK_LEEWAY_SECONDS = 60;

export interface ObjectRef {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim of a bound service-account token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
}

/** What a verified token says; the caller still has to check the objects it names exist. */
export interface ServiceAccountTokenClaims {
  subject: string;
  jti: string | undefined;
  expiresAt: number;
  kubernetes: KubernetesClaim;
}

export interface IssueTokenRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  boundPod?: ObjectRef;
  boundSecret?: ObjectRef;
  audiences: string[];
  expirationSeconds: number;
  now: Date;
}

/** Signs bound service-account tokens with the claims kube-apiserver's TokenRequest puts in them. */
export class ServiceAccountTokenIssuer {
  private readonly key: ServiceAccountKey;
  readonly issuer: string;

  constructor(key: ServiceAccountKey, issuer: string) {
    this.key = key;
    this.issuer = issuer;
  }

  async issue(req: IssueTokenRequest): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(req.now.getTime() / 1000);
    const exp = iat + req.expirationSeconds;
    const kubernetes: KubernetesClaim = { namespace: req.namespace, serviceaccount: req.serviceAccount };
    if (req.boundPod) kubernetes.pod = req.boundPod;
    if (req.boundSecret) kubernetes.secret = req.boundSecret;
    const token = await new SignJWT({ 'kubernetes.io': kubernetes })
      .setProtectedHeader({ alg: this.key.algorithm, kid: this.key.keyId })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(req.namespace, req.serviceAccount.name))
      .setAudience(req.audiences)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}

/** Why a token was refused; never contains the token itself. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Checks signature, issuer, audience (one of the API audiences), expiry and not-before of a
 * service-account JWT, and the shape of its `kubernetes.io` claim.
 */
export async function verifyServiceAccountToken(token: string, key: ServiceAccountKey, issuer: string, audiences: string[]): Promise<ServiceAccountTokenClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      issuer,
      audience: audiences,
      algorithms: [key.algorithm],
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (e) {
    throw new InvalidTokenError((e as Error).message);
  }
  const k = payload['kubernetes.io'];
  if (!isPlainObject(k) || typeof k['namespace'] !== 'string' || !isRef(k['serviceaccount'])) throw new InvalidTokenError('token has no kubernetes.io service account claim');
  const kubernetes: KubernetesClaim = { namespace: k['namespace'], serviceaccount: k['serviceaccount'] };
  if (k['pod'] !== undefined) {
    if (!isRef(k['pod'])) throw new InvalidTokenError('malformed pod claim');
    kubernetes.pod = k['pod'];
  }
  if (k['secret'] !== undefined) {
    if (!isRef(k['secret'])) throw new InvalidTokenError('malformed secret claim');
    kubernetes.secret = k['secret'];
  }
  if (payload.sub !== serviceAccountUsername(kubernetes.namespace, kubernetes.serviceaccount.name)) throw new InvalidTokenError('subject does not name the service account');
  return { subject: payload.sub, jti: payload.jti, expiresAt: payload.exp! * 1000, kubernetes };
}

function isRef(v: unknown): v is ObjectRef {
  return isPlainObject(v) && typeof v['name'] === 'string' && v['name'] !== '' && typeof v['uid'] === 'string';
}
