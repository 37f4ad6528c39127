import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../storage/index.ts';
import type { Store } from '../storage/types.ts';
import { ensureServiceAccountKey, type ServiceAccountKey } from './service-account-key.ts';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, InvalidTokenError, ServiceAccountTokenIssuer, verifyServiceAccountToken } from './service-account-token.ts';
import { ServiceAccountTokenAuthenticator } from './service-account-token-authenticator.ts';

let dir: string;
let key: ServiceAccountKey;
let otherKey: ServiceAccountKey;
const iss = DEFAULT_SERVICE_ACCOUNT_ISSUER;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sa-key-'));
  key = await ensureServiceAccountKey(dir);
  otherKey = await ensureServiceAccountKey(await mkdtemp(join(dir, 'other-')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sa = { name: 'bot', uid: 'uid-1' };
const issue = (k: ServiceAccountKey, overrides: Partial<Parameters<ServiceAccountTokenIssuer['issue']>[0]> = {}) =>
  new ServiceAccountTokenIssuer(k, iss).issue({ namespace: 'alice', serviceAccount: sa, audiences: [iss], expirationSeconds: 3600, now: new Date(), ...overrides });

describe('service account signing key', () => {
  it('is generated once (0600) and reused', async () => {
    expect(key.generated).toBe(true);
    expect((await stat(key.path)).mode & 0o777).toBe(0o600);
    const again = await ensureServiceAccountKey(dir);
    expect(again.generated).toBe(false);
    expect(again.keyId).toBe(key.keyId);
    expect(await readFile(key.path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('service account tokens', () => {
  it('carry the claims of a Kubernetes bound token', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { token, expiresAt } = await issue(key, { now, expirationSeconds: 7200, boundPod: { name: 'p', uid: 'pod-uid' } });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: key.keyId });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss,
      sub: 'system:serviceaccount:alice:bot',
      aud: [iss],
      iat: now.getTime() / 1000,
      nbf: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 7200,
      'kubernetes.io': { namespace: 'alice', serviceaccount: { name: 'bot', uid: 'uid-1' }, pod: { name: 'p', uid: 'pod-uid' } },
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(expiresAt.toISOString()).toBe('2030-01-01T02:00:00.000Z');
  });

  it('verify only with our key, issuer, an API audience and in time', async () => {
    const good = (await issue(key)).token;
    await expect(verifyServiceAccountToken(good, key, iss, [iss, 'k3s'])).resolves.toMatchObject({ subject: 'system:serviceaccount:alice:bot' });
    const reject = (token: string, audiences = [iss], issuer = iss) => expect(verifyServiceAccountToken(token, key, issuer, audiences)).rejects.toBeInstanceOf(InvalidTokenError);
    await reject((await issue(otherKey)).token);
    await reject(good, ['https://elsewhere']);
    await reject(good, [iss], 'https://other-issuer');
    await reject((await issue(key, { audiences: ['vault'] })).token);
    await reject(`${good.slice(0, -4)}AAAA`);
    await reject((await issue(key, { now: new Date(Date.now() - 7200_000), expirationSeconds: 3600 })).token);
    // Signed with our key but without the kubernetes.io claim: not a service account token.
    const bare = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(iss).setAudience(iss).setSubject('system:serviceaccount:alice:bot').setExpirationTime('1h').sign(key.privateKey);
    await reject(bare);
  });
});

describe('ServiceAccountTokenAuthenticator', () => {
  const saKey = '/registry/core/serviceaccounts/alice/bot';
  const write = (store: Store, uid: string) => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'alice', uid } });
    const existing = store.get(saKey);
    if (existing) store.update(saKey, existing.modRevision, () => text);
    else store.create(saKey, () => text);
  };

  it('authenticates while the service account exists with the token uid, and not after it was recreated', async () => {
    const store = createMemoryStore();
    const authn = new ServiceAccountTokenAuthenticator({ store, key, issuer: iss, audiences: [iss], now: () => new Date(), log: pino({ level: 'silent' }) });
    write(store, 'uid-1');
    const { token } = await issue(key);
    const user = await authn.authenticate(token);
    expect(user).toEqual({
      username: 'system:serviceaccount:alice:bot',
      uid: 'uid-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:alice', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [expect.stringMatching(/^JTI=/)] },
    });
    expect(await authn.authenticate(token)).toBe(user); // cached
    write(store, 'uid-1'); // an unrelated change (same uid) keeps it valid
    expect(await authn.authenticate(token)).toBe(user);
    store.delete(saKey, undefined, () => '{}');
    expect(await authn.authenticate(token)).toBeUndefined();
    write(store, 'uid-2');
    expect(await authn.authenticate(token)).toBeUndefined();
  });

  it('rejects a token whose pod binding no longer holds', async () => {
    const store = createMemoryStore();
    const authn = new ServiceAccountTokenAuthenticator({ store, key, issuer: iss, audiences: [iss], now: () => new Date(), log: pino({ level: 'silent' }) });
    write(store, 'uid-1');
    const podKey = '/registry/core/pods/alice/p';
    store.create(podKey, () => JSON.stringify({ metadata: { name: 'p', namespace: 'alice', uid: 'pod-1' } }));
    const { token } = await issue(key, { boundPod: { name: 'p', uid: 'pod-1' } });
    expect((await authn.authenticate(token))?.extra).toMatchObject({ 'authentication.kubernetes.io/pod-name': ['p'], 'authentication.kubernetes.io/pod-uid': ['pod-1'] });
    store.delete(podKey, undefined, () => '{}');
    expect(await authn.authenticate(token)).toBeUndefined();
  });
});
