import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { RBAC_TYPE } from './per-filter-config.ts';
import { anyType, asList, asMsg, asString, type Msg } from './proto-values.ts';
import { compileRbacFilter, type RbacEngine } from './rbac.ts';

const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';

export interface RbacFilterConfig {
  name: string;
  engine: RbacEngine;
  /** `HttpFilter.disabled`: runs only on routes whose per-filter config enables it. */
  disabledByDefault: boolean;
}

export interface RouterConfig {
  /** No `x-envoy-*` headers added upstream or downstream. */
  suppressEnvoyHeaders: boolean;
}

export interface HttpFilterChain {
  rbac: readonly RbacFilterConfig[];
  router: RouterConfig;
}

/**
 * `http_filters` of an HttpConnectionManager. RBAC and the router are implemented; any other
 * filter NACKs the listener unless it is marked `is_optional` (then it is skipped with a notice),
 * and the router must be last, as Envoy requires of its terminal filter. An empty list means the
 * router alone.
 */
export function compileHttpFilters(filters: unknown, where: string, ctx: CompileContext): HttpFilterChain {
  const list = asList(filters);
  const rbac: RbacFilterConfig[] = [];
  let router: RouterConfig | undefined;
  list.forEach((f, i) => {
    const at = `${where}[${i}] ${asString(f.name)}`;
    ctx.checkFields(f, 'HttpFilter', at, ['name', 'typedConfig', 'isOptional', 'disabled']);
    if (router) throw new XdsConfigError(at, 'the router filter must be the last HTTP filter');
    const config = asMsg(f.typedConfig) ?? {};
    const type = anyType(config);
    if (type === ROUTER_TYPE || (!type && f.name === 'envoy.filters.http.router')) {
      router = compileRouter(config, at, ctx);
    } else if (type === RBAC_TYPE) {
      rbac.push({ name: asString(f.name), engine: compileRbacFilter(config, at, ctx), disabledByDefault: f.disabled === true });
    } else if (f.isOptional === true) {
      ctx.ignored(`http filter ${type || asString(f.name)}`, at, 'optional filter not implemented by the built-in data plane');
    } else {
      throw new XdsConfigError(at, `HTTP filter ${type || asString(f.name)} is not supported by the built-in data plane (mark it is_optional to skip it)`);
    }
  });
  if (list.length === 0) return { rbac, router: { suppressEnvoyHeaders: false } };
  if (!router) throw new XdsConfigError(where, 'the last HTTP filter must be the router');
  return { rbac, router };
}

function compileRouter(config: Msg, where: string, ctx: CompileContext): RouterConfig {
  ctx.checkFields(config, 'Router', where, ['suppressEnvoyHeaders'], [
    'dynamicStats', 'startChildSpan', 'upstreamLog', 'upstreamLogOptions', 'strictCheckHeaders', 'respectExpectedRqTimeout',
    'suppressGrpcRequestFailureCodeStats',
  ]);
  return { suppressEnvoyHeaders: config.suppressEnvoyHeaders === true };
}
