// The KusciaJob controller and its garbage collector; the scheduling rules they use are the pure
// modules next to them (validate, dag, task-id, ready-tasks, job-phase, task-phases, resource-split).
export { newKusciaJobController, KUSCIA_JOB_CONTROLLER_NAME, type KusciaJobControllerOptions } from './controller.ts';
export { newKusciaJobGCController, KUSCIA_JOB_GC_CONTROLLER_NAME, DEFAULT_JOB_RETENTION_MS, type KusciaJobGCOptions } from './gc-controller.ts';
