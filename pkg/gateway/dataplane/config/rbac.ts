import { BlockList, isIPv6 } from 'node:net';
import type { HeaderMap } from '../http/header-map.ts';
import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHeaderMatcher } from './header-matcher.ts';
import { asList, asMsg, asNumber, asString, type Msg, wrappedNumber } from './proto-values.ts';
import { compileStringMatcher } from './string-matcher.ts';

/** What RBAC rules can look at. */
export interface RbacRequest {
  headers: HeaderMap;
  remoteAddress: string;
  localPort: number;
}

type Rule = (req: RbacRequest) => boolean;

export interface RbacEngine {
  allows(req: RbacRequest): boolean;
}

const ALLOW_ALL: RbacEngine = { allows: () => true };

/**
 * `envoy.extensions.filters.http.rbac.v3.RBAC` (the filter config, or the `rbac` of RBACPerRoute):
 * no `rules` → every request passes; ALLOW → passes when a policy matches; DENY → refused when a
 * policy matches; LOG → passes. A policy matches when one of its permissions and one of its
 * principals match. Header `exact` comparisons are constant-time (they compare tokens).
 */
export function compileRbacFilter(config: Msg, where: string, ctx: CompileContext): RbacEngine {
  ctx.checkFields(config, 'RBAC', where, ['rules'], ['shadowRules', 'shadowRulesStatPrefix', 'rulesStatPrefix', 'trackPerRuleStats', 'shadowMatcher']);
  const rules = asMsg(config.rules);
  if (!rules) return ALLOW_ALL;
  ctx.checkFields(rules, 'config.rbac.v3.RBAC', `${where}.rules`, ['action', 'policies'], ['auditLoggingOptions']);
  const action = asString(rules.action, 'ALLOW');
  const policies = Object.entries(asMsg(rules.policies) ?? {}).map(([name, policy]) =>
    compilePolicy(asMsg(policy) ?? {}, `${where}.rules.policies[${name}]`, ctx),
  );
  const anyMatches = (req: RbacRequest) => policies.some((p) => p(req));
  switch (action) {
    case 'ALLOW':
      return { allows: anyMatches };
    case 'DENY':
      return { allows: (req) => !anyMatches(req) };
    case 'LOG':
      return ALLOW_ALL;
    default:
      throw new XdsConfigError(where, `unknown RBAC action ${action}`);
  }
}

function compilePolicy(policy: Msg, where: string, ctx: CompileContext): Rule {
  ctx.checkFields(policy, 'Policy', where, ['permissions', 'principals']);
  const permissions = asList(policy.permissions).map((p, i) => compilePermission(p, `${where}.permissions[${i}]`, ctx));
  const principals = asList(policy.principals).map((p, i) => compilePrincipal(p, `${where}.principals[${i}]`, ctx));
  return (req) => permissions.some((p) => p(req)) && principals.some((p) => p(req));
}

function compilePermission(p: Msg, where: string, ctx: CompileContext): Rule {
  ctx.checkFields(p, 'Permission', where, ['any', 'header', 'urlPath', 'andRules', 'orRules', 'notRule', 'destinationPort', 'destinationPortRange']);
  if (p.any === true) return () => true;
  if (p.header) return headerRule(asMsg(p.header) ?? {}, `${where}.header`, ctx);
  if (p.urlPath) return urlPathRule(asMsg(p.urlPath) ?? {}, `${where}.urlPath`, ctx);
  if (p.andRules) return all(asList(asMsg(p.andRules)?.rules).map((r, i) => compilePermission(r, `${where}.andRules[${i}]`, ctx)));
  if (p.orRules) return some(asList(asMsg(p.orRules)?.rules).map((r, i) => compilePermission(r, `${where}.orRules[${i}]`, ctx)));
  if (p.notRule) {
    const inner = compilePermission(asMsg(p.notRule) ?? {}, `${where}.notRule`, ctx);
    return (req) => !inner(req);
  }
  if ('destinationPort' in p) {
    const port = asNumber(p.destinationPort);
    return (req) => req.localPort === port;
  }
  if (p.destinationPortRange) {
    const range = asMsg(p.destinationPortRange) ?? {};
    return (req) => req.localPort >= asNumber(range.start) && req.localPort < asNumber(range.end);
  }
  throw new XdsConfigError(where, 'permission has no rule');
}

function compilePrincipal(p: Msg, where: string, ctx: CompileContext): Rule {
  ctx.checkFields(p, 'Principal', where, ['any', 'header', 'urlPath', 'andIds', 'orIds', 'notId', 'directRemoteIp', 'remoteIp', 'sourceIp']);
  if (p.any === true) return () => true;
  if (p.header) return headerRule(asMsg(p.header) ?? {}, `${where}.header`, ctx);
  if (p.urlPath) return urlPathRule(asMsg(p.urlPath) ?? {}, `${where}.urlPath`, ctx);
  if (p.andIds) return all(asList(asMsg(p.andIds)?.ids).map((r, i) => compilePrincipal(r, `${where}.andIds[${i}]`, ctx)));
  if (p.orIds) return some(asList(asMsg(p.orIds)?.ids).map((r, i) => compilePrincipal(r, `${where}.orIds[${i}]`, ctx)));
  if (p.notId) {
    const inner = compilePrincipal(asMsg(p.notId) ?? {}, `${where}.notId`, ctx);
    return (req) => !inner(req);
  }
  // The data plane does not trust X-Forwarded-For, so the remote address is the peer's socket address.
  const cidr = p.directRemoteIp ?? p.remoteIp ?? p.sourceIp;
  if (cidr) return cidrRule(asMsg(cidr) ?? {}, where);
  throw new XdsConfigError(where, 'principal has no identifier');
}

function headerRule(matcher: Msg, where: string, ctx: CompileContext): Rule {
  const test = compileHeaderMatcher(matcher, where, ctx, true);
  return (req) => test(req.headers);
}

/** `envoy.type.matcher.v3.PathMatcher`: the path without query and fragment. */
function urlPathRule(matcher: Msg, where: string, ctx: CompileContext): Rule {
  ctx.checkFields(matcher, 'PathMatcher', where, ['path']);
  const test = compileStringMatcher(asMsg(matcher.path) ?? {}, `${where}.path`, ctx);
  return (req) => test((req.headers.get(':path') ?? '').split(/[?#]/, 1)[0]);
}

function cidrRule(range: Msg, where: string): Rule {
  const address = asString(range.addressPrefix);
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  try {
    list.addSubnet(address, wrappedNumber(range.prefixLen, family === 'ipv6' ? 128 : 32), family);
  } catch (err) {
    throw new XdsConfigError(where, `invalid CIDR range ${address}: ${(err as Error).message}`);
  }
  return (req) => {
    const remote = req.remoteAddress.startsWith('::ffff:') && family === 'ipv4' ? req.remoteAddress.slice(7) : req.remoteAddress;
    return list.check(remote, isIPv6(remote) ? 'ipv6' : 'ipv4');
  };
}

function all(rules: Rule[]): Rule {
  return (req) => rules.every((r) => r(req));
}

function some(rules: Rule[]): Rule {
  return (req) => rules.some((r) => r(req));
}
