/** Schema handling shared by CRDs and built-in kinds: validation, defaulting, pruning, CRD schema checks. */
export type { Schema } from './types.ts';
export { validateAgainstSchema, validateValueAt } from './validate.ts';
export { applySchemaDefaults } from './defaults.ts';
export { pruneNonNullableNullsWithoutDefaults } from './null-pruning.ts';
export { type PruneOptions, findUnknownFields, pruneUnknownFields, unknownFieldMessage } from './prune.ts';
export { validateStructuralSchema } from './structural.ts';
export { validateListSetsAndMaps } from './list-type.ts';
export { validateEmbeddedResources } from './embedded-resource.ts';
export { isKnownStringFormat, matchesStringFormat } from './formats.ts';
