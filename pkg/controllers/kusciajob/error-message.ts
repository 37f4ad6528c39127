/** The human part of an error, as Kuscia puts it into a job's status (Go's err.Error()). */
import { ApiException } from '@kubernetes/client-node';

/** For API errors the Status message ("kusciatasks.kuscia.secretflow \"x\" is invalid: …"), else the Error message. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? parse(err.body) : err.body;
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
    return `HTTP ${err.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
