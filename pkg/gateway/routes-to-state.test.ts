import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DomainRoute, DomainRouteToken } from '../crd/index.ts';
import { encryptToken } from './handshake/crypto.ts';
import { routesToState, TokenCache } from './routes-to-state.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKey = createPublicKey(privateKey);

/** A token as a DomainRoute stores it (encrypted for this domain) and as peers send it (base64). */
function token(revision: number, isReady = true): { stored: DomainRouteToken; header: string } {
  const raw = randomBytes(32);
  return { stored: { isReady, revision, token: encryptToken(publicKey, raw) }, header: raw.toString('base64') };
}

function route(source: string, destination: string, tokens: DomainRouteToken[], revisionToken?: DomainRouteToken, authenticationType: 'Token' | 'None' = 'Token'): DomainRoute {
  return {
    metadata: { name: `${source}-${destination}`, namespace: 'alice' },
    spec: { source, destination, authenticationType, endpoint: { host: `${destination}.example`, ports: [{ name: 'http', port: 1080, protocol: 'HTTP' }] } },
    status: { tokenStatus: { tokens, ...(revisionToken ? { revisionToken } : {}) } },
  };
}

describe('routesToState', () => {
  it('sends the newest ready token to a destination, and none before the handshake', () => {
    const [t1, t2] = [token(1), token(2)];
    const state = routesToState([route('alice', 'bob', [t1.stored, t2.stored]), route('alice', 'carol', [])], 'alice', privateKey);
    expect(state.outbound.map((r) => [r.destination, r.token])).toEqual([['bob', t2.header], ['carol', undefined]]);
    expect(state.outbound[0]!.endpoint).toEqual({ host: 'bob.example', ports: [{ name: 'http', port: 1080, protocol: 'HTTP', pathPrefix: undefined, isTLS: undefined }] });
  });

  it('accepts the last two revisions from a source, including one still being handshaken', () => {
    const [t1, t2, t3] = [token(1), token(2), token(3, false)];
    const state = routesToState([route('bob', 'alice', [t1.stored, t2.stored], t3.stored)], 'alice', privateKey);
    expect(state.inbound).toEqual([{ source: 'bob', acceptedTokens: [t2.header, t3.header] }]);
  });

  it('accepts a None-authenticated source without tokens and reports an undecryptable token', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign: DomainRouteToken = { isReady: true, revision: 1, token: encryptToken(createPublicKey(other.privateKey), randomBytes(32)) };
    const state = routesToState([route('carol', 'alice', [], undefined, 'None'), route('bob', 'alice', [foreign])], 'alice', privateKey);
    expect(state.inbound).toEqual([{ source: 'carol', acceptedTokens: 'noop' }, { source: 'bob', acceptedTokens: [] }]);
    expect(state.problems).toEqual([{ route: 'bob-alice', problem: expect.stringMatching(/^token revision 1: /) }]);
  });
});

describe('TokenCache', () => {
  it('decrypts a stored token once across rebuilds and forgets tokens no longer present', () => {
    const cache = new TokenCache();
    const [t1, t2] = [token(1), token(2)];
    const routes = [route('bob', 'alice', [t1.stored, t2.stored])];
    expect(routesToState(routes, 'alice', privateKey, cache).inbound[0]!.acceptedTokens).toEqual([t1.header, t2.header]);
    // A second rebuild with a key that cannot decrypt anything still gets the tokens: they came from the cache.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(routesToState(routes, 'alice', other, cache).inbound[0]!.acceptedTokens).toEqual([t1.header, t2.header]);
    // Once a rebuild did not see t1, it is decrypted again (and fails with the wrong key).
    routesToState([route('bob', 'alice', [t2.stored])], 'alice', other, cache);
    expect(routesToState(routes, 'alice', other, cache).problems).toEqual([{ route: 'bob-alice', problem: expect.stringMatching(/^token revision 1: /) }]);
  });
});
