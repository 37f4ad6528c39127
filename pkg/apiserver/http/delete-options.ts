/**
 * metav1.DeleteOptions from a DELETE request, as kube-apiserver's delete handler reads them: from
 * the body when there is one (kubectl sends it there), otherwise from the query (curl, client-go's
 * query-parameter form), then ValidateDeleteOptions (422 DeleteOptions.meta.k8s.io "" is invalid).
 */
import type { IncomingMessage } from 'node:http';
import { apiErrors } from '../api/errors.ts';
import { FieldError, fieldErrors } from '../api/field-error.ts';
import { isPlainObject } from '../api/object.ts';
import { PROPAGATION_POLICIES, type DeleteOptions, type PropagationPolicy } from '../registry/delete-options.ts';
import { goStringSlice } from '../validation/go-render.ts';
import { decodeBody, readBody } from './body.ts';

/** The options before validation: every field as the client sent it. */
interface RawDeleteOptions {
  dryRun: string[];
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: string;
}

export async function readDeleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const parsed = raw.length > 0 && raw.toString('utf8').trim() !== '' ? fromBody(decodeBody(raw, req.headers['content-type'] ?? 'application/json')) : fromQuery(query);
  return validateDeleteOptions(parsed);
}

function fromBody(body: unknown): RawDeleteOptions {
  if (!isPlainObject(body)) throw apiErrors.badRequest('DeleteOptions must be an object');
  const out: RawDeleteOptions = { dryRun: [] };
  const grace = body['gracePeriodSeconds'];
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isSafeInteger(grace)) throw unmarshalError(grace, 'gracePeriodSeconds', 'int64');
    out.gracePeriodSeconds = grace;
  }
  const orphan = body['orphanDependents'];
  if (orphan !== undefined && orphan !== null) {
    if (typeof orphan !== 'boolean') throw unmarshalError(orphan, 'orphanDependents', 'bool');
    out.orphanDependents = orphan;
  }
  const policy = body['propagationPolicy'];
  if (policy !== undefined && policy !== null) {
    if (typeof policy !== 'string') throw unmarshalError(policy, 'propagationPolicy', 'v1.DeletionPropagation');
    out.propagationPolicy = policy;
  }
  const pre = body['preconditions'];
  if (pre !== undefined && pre !== null) {
    if (!isPlainObject(pre)) throw unmarshalError(pre, 'preconditions', 'v1.Preconditions');
    out.preconditions = {};
    for (const field of ['uid', 'resourceVersion'] as const) {
      const v = pre[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw unmarshalError(v, `preconditions.${field}`, field === 'uid' ? 'types.UID' : 'string');
      out.preconditions[field] = v;
    }
  }
  const dryRun = body['dryRun'];
  if (dryRun !== undefined && dryRun !== null) {
    if (!Array.isArray(dryRun) || dryRun.some((v) => typeof v !== 'string')) throw unmarshalError(dryRun, 'dryRun', '[]string');
    out.dryRun = dryRun as string[];
  }
  return out;
}

function fromQuery(query: URLSearchParams): RawDeleteOptions {
  const out: RawDeleteOptions = { dryRun: query.getAll('dryRun') };
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') {
    if (!/^[+-]?\d+$/.test(grace) || !Number.isSafeInteger(Number(grace))) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(grace)}: invalid syntax`);
    out.gracePeriodSeconds = Number(grace);
  }
  const orphan = query.get('orphanDependents');
  if (orphan !== null && orphan !== '') out.orphanDependents = parseGoBool(orphan);
  const policy = query.get('propagationPolicy');
  if (policy !== null && policy !== '') out.propagationPolicy = policy;
  return out;
}

/** ValidateDeleteOptions, answered like the delete handler: 422 with every problem listed. */
export function validateDeleteOptions(raw: RawDeleteOptions): DeleteOptions {
  const errs: FieldError[] = [];
  if (raw.orphanDependents !== undefined && raw.propagationPolicy !== undefined) {
    errs.push(fieldErrors.invalid('propagationPolicy', raw.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (raw.propagationPolicy !== undefined && !PROPAGATION_POLICIES.includes(raw.propagationPolicy as PropagationPolicy)) {
    errs.push(fieldErrors.notSupported('propagationPolicy', raw.propagationPolicy, [...PROPAGATION_POLICIES, 'nil']));
  }
  if (raw.dryRun.some((v) => v !== 'All')) {
    errs.push(new FieldError('FieldValueNotSupported', 'dryRun', raw.dryRun, `${goStringSlice(raw.dryRun)}: supported values: "All"`, false));
  }
  if (errs.length > 0) throw apiErrors.invalid({ group: 'meta.k8s.io', resource: 'deleteoptions', kind: 'DeleteOptions' }, '', errs);
  const options: DeleteOptions = { dryRun: raw.dryRun.length > 0 };
  if (raw.gracePeriodSeconds !== undefined) options.gracePeriodSeconds = raw.gracePeriodSeconds;
  if (raw.preconditions) options.preconditions = raw.preconditions;
  if (raw.orphanDependents !== undefined) options.orphanDependents = raw.orphanDependents;
  if (raw.propagationPolicy !== undefined) options.propagationPolicy = raw.propagationPolicy as PropagationPolicy;
  return options;
}

function unmarshalError(value: unknown, field: string, goType: string) {
  const found = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
  return apiErrors.badRequest(`json: cannot unmarshal ${found} into Go struct field DeleteOptions.${field} of type ${goType}`);
}

/** strconv.ParseBool, which query parameters go through. */
function parseGoBool(v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw apiErrors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}
