/** Kuscia custom resources: TypeScript types, the label/annotation contract and the CRD manifests. */
export * from './constants.ts';
export * from './kinds.ts';
export * from './manifests.ts';
export * from './common.ts';
export * from './job.ts';
export * from './task.ts';
export * from './resource.ts';
export * from './domain.ts';
export * from './route.ts';
export * from './appimage.ts';
export * from './gateway.ts';
export * from './deployment.ts';
export * from './data.ts';
export * from './interop.ts';
