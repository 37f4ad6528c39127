import type { CompileContext } from './compile-context.ts';
import { anyType, asMsg, type Msg } from './proto-values.ts';
import { compileRbacFilter, type RbacEngine } from './rbac.ts';

export const FILTER_CONFIG_TYPE = 'type.googleapis.com/envoy.config.route.v3.FilterConfig';
export const RBAC_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC';
export const RBAC_PER_ROUTE_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute';

/** One entry of `typed_per_filter_config`, keyed by the HTTP filter's name. */
export interface FilterOverride {
  /** `FilterConfig{disabled: true}`: the filter does not run for this route. */
  disabled: boolean;
  /** RBACPerRoute: the policy that replaces the filter's own (no `rbac` → everything passes). */
  rbac?: RbacEngine;
}

export type PerFilterConfigs = ReadonlyMap<string, FilterOverride>;

export const NO_OVERRIDES: PerFilterConfigs = new Map();

/**
 * `typed_per_filter_config` of a route, virtual host or route configuration. Route tables are
 * compiled without knowing which listener uses them, so an override of a type this data plane
 * does not know is kept out with a notice: it can only belong to a filter the listener had to
 * mark optional (anything else NACKs the listener).
 */
export function compilePerFilterConfigs(value: unknown, where: string, ctx: CompileContext): PerFilterConfigs {
  const entries = Object.entries(asMsg(value) ?? {});
  if (entries.length === 0) return NO_OVERRIDES;
  const out = new Map<string, FilterOverride>();
  for (const [filterName, any] of entries) {
    const override = compileOverride(asMsg(any) ?? {}, `${where}.typedPerFilterConfig[${filterName}]`, ctx);
    if (override) out.set(filterName, override);
  }
  return out;
}

function compileOverride(any: Msg, where: string, ctx: CompileContext): FilterOverride | undefined {
  const type = anyType(any);
  if (type === FILTER_CONFIG_TYPE) {
    ctx.checkFields(any, 'FilterConfig', where, ['config', 'isOptional', 'disabled']);
    if (any.disabled === true) return { disabled: true };
    const inner = asMsg(any.config);
    return inner ? compileOverride(inner, `${where}.config`, ctx) : { disabled: false };
  }
  if (type === RBAC_PER_ROUTE_TYPE) {
    ctx.checkFields(any, 'RBACPerRoute', where, ['rbac']);
    return { disabled: false, rbac: compileRbacFilter(asMsg(any.rbac) ?? {}, `${where}.rbac`, ctx) };
  }
  ctx.ignored(`typed_per_filter_config ${type}`, where, 'its filter is not one the built-in data plane runs');
  return undefined;
}
