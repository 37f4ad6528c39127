import { apiErrors } from '../api/errors.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Query parameters shared by create, update and patch. */
export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** Collected `Warning:` header texts (RFC 7234 warn-text), sent back to the client. */
  warnings: string[];
}

/**
 * Write options of the server's own components (bootstrap, controllers): real writes under their
 * field manager — kube-apiserver, kube-controller-manager — like the Kubernetes binaries they stand for.
 */
export function systemWrite(fieldManager: string, fieldValidation: FieldValidation = 'Strict'): WriteOptions {
  return { dryRun: false, fieldManager, fieldValidation, warnings: [] };
}

/**
 * Reads dryRun / fieldManager / fieldValidation like kube-apiserver: an unknown dryRun value or
 * fieldValidation directive is a 400, and the default field manager is derived from the user agent
 * (everything before the first '/', e.g. "kubectl" or "node-fetch").
 */
export function parseWriteOptions(query: URLSearchParams, userAgent: string | undefined): WriteOptions {
  const dryRunValues = query.getAll('dryRun');
  for (const v of dryRunValues) if (v !== 'All') throw apiErrors.badRequest(`Unsupported dryRun value: ${JSON.stringify(v)}; supported values: "All"`);
  const fv = query.get('fieldValidation') ?? '';
  let fieldValidation: FieldValidation;
  switch (fv.toLowerCase()) {
    case '':
    case 'warn':
      fieldValidation = 'Warn';
      break;
    case 'strict':
      fieldValidation = 'Strict';
      break;
    case 'ignore':
      fieldValidation = 'Ignore';
      break;
    default:
      throw apiErrors.badRequest(`fieldValidation parameter unsupported: ${fv}; supported values: Strict, Warn, Ignore`);
  }
  const manager = query.get('fieldManager') ?? defaultFieldManager(userAgent);
  if (manager.length > 128) throw apiErrors.badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return { dryRun: dryRunValues.length > 0, fieldManager: manager, fieldValidation, warnings: [] };
}

export function defaultFieldManager(userAgent: string | undefined): string {
  // Only the user agent's product name counts (e.g. "kubectl" from "kubectl/v1.33.1 (linux/amd64)").
  const ua = userAgent ?? 'unknown';
  const slash = ua.indexOf('/');
  return (slash >= 0 ? ua.slice(0, slash) : ua).slice(0, 128) || 'unknown';
}
