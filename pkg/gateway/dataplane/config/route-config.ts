import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHeaderMutation, type HeaderMutation } from './header-mutation.ts';
import { compilePerFilterConfigs, type FilterOverride, type PerFilterConfigs } from './per-filter-config.ts';
import { asList, asMsg, asString, asStrings, type Msg } from './proto-values.ts';
import { compileDirectAction, compileForwardAction, type DirectAction, type ForwardAction } from './route-action.ts';
import { compileRouteMatch, type RouteRequest } from './route-match.ts';
import { VirtualHostSelector } from './virtual-host-selector.ts';

/** Request/response header changes of one configuration level. */
interface HeaderMutations {
  request: HeaderMutation;
  response: HeaderMutation;
}

export interface CompiledRoute extends HeaderMutations {
  name: string;
  matches(req: RouteRequest): boolean;
  action: ForwardAction | DirectAction;
  perFilter: PerFilterConfigs;
}

export interface CompiledVirtualHost extends HeaderMutations {
  name: string;
  routes: readonly CompiledRoute[];
  perFilter: PerFilterConfigs;
}

/** A route chosen for a request, with the levels above it (most specific first). */
export interface RouteSelection {
  route: CompiledRoute;
  virtualHost: CompiledVirtualHost;
  config: CompiledRouteConfig;
}

/** A RouteConfiguration ready to serve: immutable, so a request keeps the table it started with. */
export class CompiledRouteConfig implements HeaderMutations {
  readonly name: string;
  readonly request: HeaderMutation;
  readonly response: HeaderMutation;
  readonly perFilter: PerFilterConfigs;
  readonly ignorePortInHostMatching: boolean;
  /** Envoy's default order applies route-level headers first, so the enclosing levels win. */
  readonly mostSpecificHeaderMutationsWins: boolean;
  private readonly hosts: VirtualHostSelector<CompiledVirtualHost>;

  constructor(name: string, body: Msg, ctx: CompileContext) {
    const where = `route configuration ${name}`;
    ctx.checkFields(
      body,
      'RouteConfiguration',
      where,
      [
        'name', 'virtualHosts', 'requestHeadersToAdd', 'requestHeadersToRemove', 'responseHeadersToAdd', 'responseHeadersToRemove',
        'mostSpecificHeaderMutationsWins', 'ignorePortInHostMatching', 'typedPerFilterConfig',
      ],
      ['validateClusters', 'maxDirectResponseBodySizeBytes', 'requestMirrorPolicies', 'metadata', 'internalOnlyHeaders', 'ignorePathParametersInPathMatching'],
    );
    this.name = name;
    this.request = compileHeaderMutation(body.requestHeadersToAdd, body.requestHeadersToRemove, `${where}.requestHeadersToAdd`, ctx);
    this.response = compileHeaderMutation(body.responseHeadersToAdd, body.responseHeadersToRemove, `${where}.responseHeadersToAdd`, ctx);
    this.perFilter = compilePerFilterConfigs(body.typedPerFilterConfig, where, ctx);
    this.ignorePortInHostMatching = body.ignorePortInHostMatching === true;
    this.mostSpecificHeaderMutationsWins = body.mostSpecificHeaderMutationsWins === true;
    this.hosts = new VirtualHostSelector();
    asList(body.virtualHosts).forEach((vh, i) => {
      const host = compileVirtualHost(vh, `${where}: virtual_hosts[${i}] ${asString(vh.name)}`, ctx);
      for (const domain of asStrings(vh.domains)) this.hosts.add(domain, host, `${where}: virtual host ${host.name}`);
    });
  }

  /** The first matching route of the virtual host the host picks; undefined → 404 (no route). */
  select(host: string, req: RouteRequest): RouteSelection | undefined {
    const h = this.ignorePortInHostMatching ? stripPort(host) : host;
    const virtualHost = this.hosts.select(h);
    if (!virtualHost) return undefined;
    const route = virtualHost.routes.find((r) => r.matches(req));
    return route ? { route, virtualHost, config: this } : undefined;
  }
}

/** The per-filter override that applies to a selection: the route's, else its virtual host's, else the table's. */
export function overrideFor(selection: RouteSelection | undefined, filterName: string): FilterOverride | undefined {
  if (!selection) return undefined;
  return selection.route.perFilter.get(filterName) ?? selection.virtualHost.perFilter.get(filterName) ?? selection.config.perFilter.get(filterName);
}

function compileVirtualHost(vh: Msg, where: string, ctx: CompileContext): CompiledVirtualHost {
  ctx.checkFields(
    vh,
    'VirtualHost',
    where,
    [
      'name', 'domains', 'routes', 'requireTls', 'requestHeadersToAdd', 'requestHeadersToRemove', 'responseHeadersToAdd',
      'responseHeadersToRemove', 'typedPerFilterConfig',
    ],
    [
      'virtualClusters', 'rateLimits', 'cors', 'includeRequestAttemptCount', 'includeAttemptCountInResponse', 'retryPolicy', 'hedgePolicy',
      'perRequestBufferLimitBytes', 'requestMirrorPolicies', 'metadata', 'retryPolicyTypedConfig',
    ],
  );
  if (vh.requireTls !== undefined && vh.requireTls !== 'NONE') throw new XdsConfigError(where, 'require_tls is not supported');
  if (asStrings(vh.domains).length === 0) throw new XdsConfigError(where, 'virtual host has no domains');
  return {
    name: asString(vh.name),
    routes: asList(vh.routes).map((r, i) => compileRoute(r, `${where}: routes[${i}]`, ctx)),
    request: compileHeaderMutation(vh.requestHeadersToAdd, vh.requestHeadersToRemove, `${where}.requestHeadersToAdd`, ctx),
    response: compileHeaderMutation(vh.responseHeadersToAdd, vh.responseHeadersToRemove, `${where}.responseHeadersToAdd`, ctx),
    perFilter: compilePerFilterConfigs(vh.typedPerFilterConfig, where, ctx),
  };
}

function compileRoute(r: Msg, where: string, ctx: CompileContext): CompiledRoute {
  ctx.checkFields(
    r,
    'Route',
    where,
    [
      'name', 'match', 'route', 'directResponse', 'typedPerFilterConfig', 'requestHeadersToAdd', 'requestHeadersToRemove',
      'responseHeadersToAdd', 'responseHeadersToRemove',
    ],
    ['metadata', 'decorator', 'tracing', 'perRequestBufferLimitBytes', 'statPrefix'],
  );
  const match = compileRouteMatch(asMsg(r.match) ?? {}, `${where}.match`, ctx);
  let action: ForwardAction | DirectAction;
  if (r.route) action = compileForwardAction(asMsg(r.route) ?? {}, match.pathKind, `${where}.route`, ctx);
  else if (r.directResponse) action = compileDirectAction(asMsg(r.directResponse) ?? {}, `${where}.directResponse`, ctx);
  else throw new XdsConfigError(where, 'route has no action (route or direct_response)');
  return {
    name: asString(r.name),
    matches: match.test,
    action,
    perFilter: compilePerFilterConfigs(r.typedPerFilterConfig, where, ctx),
    request: compileHeaderMutation(r.requestHeadersToAdd, r.requestHeadersToRemove, `${where}.requestHeadersToAdd`, ctx),
    response: compileHeaderMutation(r.responseHeadersToAdd, r.responseHeadersToRemove, `${where}.responseHeadersToAdd`, ctx),
  };
}

/** `host:port` → `host`; `[v6]:port` → `[v6]`. */
export function stripPort(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(host);
  return m ? m[1] : host;
}
