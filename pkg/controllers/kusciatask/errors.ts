/** Typed failures of the task controller, so the give-up hook can tell what to record. */

/**
 * Creating a task's pods, Services, ConfigMaps or TaskResourceGroup failed (including the permit
 * check). When retries run out the task fails with condition ResourceCreated=False, reason
 * KusciaTaskCreateFailed, and this message.
 */
export class TaskCreateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaskCreateError';
  }
}

/**
 * The permit check found no room for a party. Not a failure yet: capacity may be freed or added, so
 * the task waits (and says why in its ResourceCreated condition) until its lifecycle ends.
 */
export class PermitDeniedError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'PermitDeniedError';
    this.problems = problems;
  }
}

/** An object with the name the task needs exists and belongs to something else. */
export class ForeignObjectError extends Error {
  constructor(kind: string, key: string) {
    super(`${kind} ${key} already exists and does not belong to this task`);
    this.name = 'ForeignObjectError';
  }
}

export const TASK_CREATE_FAILED_REASON = 'KusciaTaskCreateFailed';
