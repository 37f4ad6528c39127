/** Validation shared by every resource: object metadata and Kubernetes name/label rules. */
export * from './name-validators.ts';
export * from './object-meta.ts';
export { FIELD_IMMUTABLE_ERROR_MSG } from './object-meta-update.ts';
