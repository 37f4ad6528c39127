import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed API call (0 when the request never got an answer). */
export function statusCodeOf(err: unknown): number {
  if (err instanceof ApiException) return err.code;
  return 0;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409 && reasonOf(err) !== 'AlreadyExists';
export const isAlreadyExists = (err: unknown): boolean => statusCodeOf(err) === 409 && reasonOf(err) === 'AlreadyExists';

/** The `reason` of the Status body Kubernetes sends with an error, when there is one. */
export function reasonOf(err: unknown): string | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const body: unknown = typeof err.body === 'string' ? safeParse(err.body) : err.body;
  if (body && typeof body === 'object' && 'reason' in body && typeof body.reason === 'string') return body.reason;
  return undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A short description for logs: the Status message when the server sent one. */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? safeParse(err.body) : err.body;
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return `${err.code}: ${body.message}`;
    return `HTTP ${err.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}
