export type { Module } from './module.ts';
export { taskModule } from './module.ts';
export { dependencyOrder, ModuleGraphError } from './module-order.ts';
export { startModules, ModuleStartError, type RunningModules } from './module-manager.ts';
export { childProcessModule, SHORT_RUN_MS, type ChildProcessModuleOptions } from './child-process-module.ts';
export { RestartBackoff } from './restart-backoff.ts';
