import { ALL, type PolicyRule } from './types.ts';

/**
 * Whether a set of rules a user holds covers rules they want to grant (Kubernetes'
 * validation.Covers), and which pieces are missing. The wanted rules are broken down into single
 * verb / group / resource / name (or URL + verb) pieces, each of which one owned rule must cover.
 */
export function covers(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const piece of wanted.flatMap(breakdownRule)) {
    if (!owned.some((rule) => ruleCovers(rule, piece))) missing.push(piece);
  }
  return { covered: missing.length === 0, missing };
}

/** One rule per (group, resource, verb[, name]) and per (URL, verb). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const pieces: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length > 0) for (const name of names) pieces.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        else pieces.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) pieces.push({ nonResourceURLs: [url], verbs: [verb] });
  return pieces;
}

/** Whether `owner` (any shape) covers `piece` (at most one verb, resource and name). */
export function ruleCovers(owner: PolicyRule, piece: PolicyRule): boolean {
  const verbs = owner.verbs ?? [];
  const groups = owner.apiGroups ?? [];
  const ownerNames = owner.resourceNames ?? [];
  const pieceNames = piece.resourceNames ?? [];
  const verbOk = verbs.includes(ALL) || hasAll(verbs, piece.verbs ?? []);
  const groupOk = groups.includes(ALL) || hasAll(groups, piece.apiGroups ?? []);
  const resourceOk = resourcesCoverAll(owner.resources ?? [], piece.resources ?? []);
  const urlOk = (piece.nonResourceURLs ?? []).every((path) => (owner.nonResourceURLs ?? []).some((o) => nonResourceUrlCovers(o, path)));
  const nameOk = pieceNames.length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, pieceNames);
  return verbOk && groupOk && resourceOk && urlOk && nameOk;
}

function hasAll(set: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((w) => set.includes(w));
}

function resourcesCoverAll(owned: readonly string[], wanted: readonly string[]): boolean {
  if (owned.includes(ALL) || hasAll(owned, wanted)) return true;
  return wanted.every((path) => {
    if (owned.includes(path)) return true;
    const slash = path.indexOf('/');
    // `*/status` covers the status subresource of every resource.
    return slash >= 0 && owned.includes(`*/${path.slice(slash + 1)}`);
  });
}

function nonResourceUrlCovers(owner: string, path: string): boolean {
  if (owner === path) return true;
  return owner.endsWith('*') && path.startsWith(owner.replace(/\*+$/, ''));
}

/**
 * CompactRules: single-resource pieces that differ only in their verb are merged into one rule,
 * so the escalation message lists `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`
 * rather than one line per verb.
 */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = simpleResourceKey(rule);
    if (key === undefined) {
      compacted.push(rule);
      continue;
    }
    const existing = simple.get(key);
    if (!existing) {
      simple.set(key, { ...rule, verbs: [...rule.verbs] });
      continue;
    }
    for (const verb of rule.verbs) if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
  }
  return [...compacted, ...simple.values()];
}

/** One group, one resource, at most one name, no URLs: the rules CompactRules merges. */
function simpleResourceKey(rule: PolicyRule): string | undefined {
  const groups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  const names = rule.resourceNames ?? [];
  if ((rule.nonResourceURLs ?? []).length > 0 || groups.length !== 1 || resources.length !== 1 || names.length > 1) return undefined;
  return JSON.stringify([groups[0], resources[0], names[0] ?? null]);
}

/** rbacv1helpers.CompactString: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  const add = (label: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) parts.push(`${label}:${goQuotedList(values)}`);
  };
  add('APIGroups', rule.apiGroups);
  add('Resources', rule.resources);
  add('NonResourceURLs', rule.nonResourceURLs);
  add('ResourceNames', rule.resourceNames);
  add('Verbs', rule.verbs);
  return `{${parts.join(', ')}}`;
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
