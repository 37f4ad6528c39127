import type { FieldError, StatusCause } from './field-error.ts';

/**
 * A Kubernetes `Status` failure as kube-apiserver returns it. Every error that reaches a client
 * is one of these: same reason, code, message wording and details as Kubernetes, because kubectl
 * and client libraries branch on them (e.g. `IsNotFound`, `IsConflict`, 410 → relist).
 */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** `pods` for core, `kusciajobs.kuscia.secretflow` otherwise (schema.GroupResource.String()). */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** A Group + Resource (+ Kind for Invalid) identifying what an error is about. */
export interface ErrorTarget {
  group: string;
  resource: string;
  kind?: string;
}

export const apiErrors = {
  notFound(t: ErrorTarget, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualifiedResource(t.group, t.resource)} "${name}" not found`, { name, group: t.group || undefined, kind: t.resource });
  },
  alreadyExists(t: ErrorTarget, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualifiedResource(t.group, t.resource)} "${name}" already exists`, { name, group: t.group || undefined, kind: t.resource });
  },
  conflict(t: ErrorTarget, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(t.group, t.resource)} "${name}": ${why}`, { name, group: t.group || undefined, kind: t.resource });
  },
  /** Conflict with causes (server-side apply field-manager conflicts). */
  conflictWithCauses(t: ErrorTarget, name: string, message: string, causes: StatusCause[]): ApiError {
    return new ApiError(409, 'Conflict', message, { name, group: t.group || undefined, kind: t.resource, causes });
  },
  invalid(t: ErrorTarget & { kind: string }, name: string, errs: FieldError[]): ApiError {
    const qualifiedKind = t.group ? `${t.kind}.${t.group}` : t.kind;
    const list = errs.map((e) => e.toString());
    const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${body}`, {
      name,
      group: t.group || undefined,
      kind: t.kind,
      causes: errs.map((e) => e.cause()),
    });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message);
  },
  notAcceptable(message: string): ApiError {
    return new ApiError(406, 'NotAcceptable', message);
  },
  unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${JSON.stringify(contentType)})`);
  },
  requestEntityTooLarge(limit: number): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  },
  resourceExpired(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  unauthorized(message = 'Unauthorized'): ApiError {
    return new ApiError(401, 'Unauthorized', message);
  },
  forbidden(t: ErrorTarget, name: string, why: string): ApiError {
    const what = name ? `${qualifiedResource(t.group, t.resource)} "${name}"` : qualifiedResource(t.group, t.resource);
    return new ApiError(403, 'Forbidden', `${what} is forbidden: ${why}`, { name: name || undefined, group: t.group || undefined, kind: t.resource });
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message }] });
  },
  serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
};
