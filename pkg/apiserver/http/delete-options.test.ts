import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { validateDeleteOptions } from './delete-options.ts';

function invalid(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('validateDeleteOptions', () => {
  it('accepts the three propagation policies and passes the rest through', () => {
    for (const p of ['Foreground', 'Background', 'Orphan']) expect(validateDeleteOptions({ dryRun: [], propagationPolicy: p }).propagationPolicy).toBe(p);
    expect(validateDeleteOptions({ dryRun: ['All'], gracePeriodSeconds: 0, preconditions: { uid: 'u' } })).toEqual({ dryRun: true, gracePeriodSeconds: 0, preconditions: { uid: 'u' } });
  });

  it('lists every problem in one 422, worded like ValidateDeleteOptions', () => {
    const err = invalid(() => validateDeleteOptions({ dryRun: ['Some'], orphanDependents: true, propagationPolicy: 'Later' }));
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: [propagationPolicy: Invalid value: "Later": orphanDependents and deletionPropagation cannot be both set, propagationPolicy: Unsupported value: "Later": supported values: "Foreground", "Background", "Orphan", "nil", dryRun: Unsupported value: []string{"Some"}: supported values: "All"]',
    );
  });
});
