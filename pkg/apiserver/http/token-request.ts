import { apiErrors } from '../api/errors.ts';
import { fieldErrors, type FieldError } from '../api/field-error.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import type { ObjectRef, ServiceAccountTokenIssuer } from '../auth/service-account-token.ts';
import { metaTime } from '../registry/meta-time.ts';
import { objectKey } from '../registry/storage-keys.ts';
import type { Store } from '../storage/types.ts';
import type { VirtualCreateHandler } from './virtual-resources.ts';

export interface TokenRequestDeps {
  store: Store;
  issuer: ServiceAccountTokenIssuer;
  /** Audiences of a token whose request names none (kube-apiserver --api-audiences). */
  apiAudiences: string[];
  now: () => Date;
}

const GROUP = 'authentication.k8s.io';
const API_VERSION = `${GROUP}/v1`;
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const target = { group: GROUP, resource: 'tokenrequests', kind: 'TokenRequest' };

/**
 * POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token: kube-apiserver's TokenRequest
 * (what `kubectl create token` calls). The answer is a signed JWT bound to the service account's
 * uid, and optionally to a Pod or Secret of the namespace; it is never stored.
 */
export function tokenRequestHandler(deps: TokenRequestDeps): VirtualCreateHandler {
  return async ({ namespace, name, body }) => {
    const req = requireTokenRequest(body);
    const meta = req.metadata;
    if (meta.name && meta.name !== name) {
      throw apiErrors.invalid(target, name, [fieldErrors.invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
    }
    if (meta.namespace && meta.namespace !== namespace) {
      throw apiErrors.invalid(target, name, [fieldErrors.invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
    }
    const serviceAccount = getObject(deps.store, 'serviceaccounts', namespace, name);
    const spec = isPlainObject(req['spec']) ? req['spec'] : {};
    const audiences = Array.isArray(spec['audiences']) && spec['audiences'].length > 0 ? (spec['audiences'] as string[]) : deps.apiAudiences;
    const expirationSeconds = spec['expirationSeconds'] === undefined || spec['expirationSeconds'] === null ? DEFAULT_EXPIRATION_SECONDS : Number(spec['expirationSeconds']);
    const now = deps.now();
    const errs = validateExpiration(expirationSeconds);
    if (errs.length > 0) throw apiErrors.invalid(target, '', errs);

    const ref = isPlainObject(spec['boundObjectRef']) ? spec['boundObjectRef'] : undefined;
    const bound = ref ? boundObject(deps.store, namespace, name, ref) : {};
    const { token, expiresAt } = await deps.issuer.issue({
      namespace,
      serviceAccount: refOf(serviceAccount),
      ...bound,
      audiences,
      expirationSeconds,
      now,
    });
    const response = {
      kind: 'TokenRequest',
      apiVersion: API_VERSION,
      metadata: { name: serviceAccount.metadata.name, namespace, creationTimestamp: metaTime(now) },
      spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
      status: { token, expirationTimestamp: metaTime(expiresAt) },
    };
    return { code: 201, body: JSON.stringify(response) };
  };
}

function requireTokenRequest(body: unknown): KubeObject {
  if (!isPlainObject(body)) throw apiErrors.badRequest('the body of the request must be a TokenRequest');
  if (body['kind'] === undefined || body['kind'] === '') body['kind'] = 'TokenRequest';
  if (body['apiVersion'] === undefined || body['apiVersion'] === '') body['apiVersion'] = API_VERSION;
  if (body['apiVersion'] !== API_VERSION) throw apiErrors.badRequest(`the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${API_VERSION})`);
  if (body['kind'] !== 'TokenRequest') throw apiErrors.badRequest(`the kind in the data (${String(body['kind'])}) does not match the expected kind (TokenRequest) for this endpoint`);
  if (!isPlainObject(body['metadata'])) body['metadata'] = {};
  return body as KubeObject;
}

/** ValidateTokenRequest. */
function validateExpiration(seconds: number): FieldError[] {
  if (!Number.isSafeInteger(seconds)) return [fieldErrors.invalid('spec.expirationSeconds', seconds, 'must be an integer')];
  if (seconds < MIN_EXPIRATION_SECONDS) return [fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')];
  if (seconds > MAX_EXPIRATION_SECONDS) return [fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

/** The Pod or Secret a token is bound to; its uid must match when the request names one. */
function boundObject(store: Store, namespace: string, serviceAccount: string, ref: Record<string, unknown>): { boundPod?: ObjectRef; boundSecret?: ObjectRef } {
  const kind = String(ref['kind'] ?? '');
  const apiVersion = String(ref['apiVersion'] ?? '');
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const name = String(ref['name'] ?? '');
  if (group !== '' || (kind !== 'Pod' && kind !== 'Secret')) {
    throw apiErrors.badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
  }
  const obj = getObject(store, kind === 'Pod' ? 'pods' : 'secrets', namespace, name);
  if (kind === 'Pod') {
    const spec = isPlainObject(obj['spec']) ? obj['spec'] : {};
    if (spec['serviceAccountName'] !== serviceAccount) {
      throw apiErrors.badRequest(`cannot bind token for serviceaccount ${JSON.stringify(serviceAccount)} to pod running with different serviceaccount name.`);
    }
  }
  const uid = obj.metadata.uid ?? '';
  if (typeof ref['uid'] === 'string' && ref['uid'] !== '' && ref['uid'] !== uid) {
    throw apiErrors.conflict(
      { group: '', resource: kind },
      name,
      `the UID in the bound object reference (${ref['uid']}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return kind === 'Pod' ? { boundPod: refOf(obj) } : { boundSecret: refOf(obj) };
}

function getObject(store: Store, resource: string, namespace: string, name: string): KubeObject {
  const entry = name ? store.get(objectKey({ group: '', resource }, namespace, name)) : undefined;
  if (!entry) throw apiErrors.notFound({ group: '', resource }, name);
  return JSON.parse(entry.value) as KubeObject;
}

function refOf(obj: KubeObject): ObjectRef {
  return { name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '' };
}
