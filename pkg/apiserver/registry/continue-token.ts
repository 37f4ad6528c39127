import { apiErrors } from '../api/errors.ts';

/**
 * List continuation, as kube-apiserver encodes it: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":K}.
 * `rv` pins every page to the revision of the first one, `start` is the last key returned.
 */
export interface ContinueToken {
  rv: number;
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

export function decodeContinue(s: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (raw.v !== 'meta.k8s.io/v1' || typeof raw.rv !== 'number' || typeof raw.start !== 'string') throw new Error('bad token');
    return { rv: raw.rv, start: raw.start };
  } catch {
    throw apiErrors.badRequest(`continue key is not valid: ${JSON.stringify(s)}`);
  }
}

export const continueTooOldMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
