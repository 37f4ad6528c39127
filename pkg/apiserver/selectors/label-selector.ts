import { apiErrors } from '../api/errors.ts';
import { parseLabelRequirements } from './label-selector-parser.ts';
import {
  LabelRequirementError,
  newRequirement,
  requirementMatches,
  requirementToString,
  type LabelOperator,
  type LabelRequirement,
} from './label-requirement.ts';

export { LabelRequirementError } from './label-requirement.ts';
export type { LabelOperator, LabelRequirement } from './label-requirement.ts';

/**
 * A parsed label selector: an AND of requirements. `matchesNothing` is labels.Nothing(), what a
 * nil metav1.LabelSelector converts to (e.g. a Service without selector selects no pods).
 */
export class LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly matchesNothing: boolean;

  constructor(requirements: readonly LabelRequirement[], matchesNothing = false) {
    this.requirements = requirements;
    this.matchesNothing = matchesNothing;
  }

  static everything(): LabelSelector {
    return new LabelSelector([]);
  }

  static nothing(): LabelSelector {
    return new LabelSelector([], true);
  }

  /** True when the selector does not restrict anything (labels.Selector.Empty()). */
  get empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  matches(labels: Record<string, string> | undefined): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** The value a selector pins `key` to with =, == or a one-element in (RequiresExactMatch). */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (!r) return undefined;
    return (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1 ? r.values[0] : undefined;
  }

  /** Canonical text, e.g. "app=web,tier in (a,b)" (what kubectl shows in a deployment's SELECTOR column). */
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

/**
 * Parses the `labelSelector` query parameter. A malformed selector is a 400 BadRequest whose
 * message is the labels package's error, e.g.
 *   unable to parse requirement: <nil>: Invalid value: "a b": name part must consist of ...
 */
export function parseLabelSelector(selector: string): LabelSelector {
  try {
    return new LabelSelector(parseLabelRequirements(selector));
  } catch (e) {
    if (e instanceof LabelRequirementError) throw apiErrors.badRequest(e.message);
    throw e;
  }
}

/** metav1.LabelSelectorRequirement */
export interface LabelSelectorRequirementSpec {
  key: string;
  operator: string;
  values?: string[];
}

/** metav1.LabelSelector as it appears in Service/Deployment/ReplicaSet/NetworkPolicy specs. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementSpec[];
}

const expressionOperators: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: undefined/null selects nothing, an empty selector selects
 * everything. Throws LabelRequirementError (not an ApiError: callers are controllers and validation,
 * which wrap it in their own context).
 */
export function fromLabelSelector(ls: LabelSelectorSpec | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return LabelSelector.nothing();
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return LabelSelector.everything();
  const requirements: LabelRequirement[] = matchLabels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const op = expressionOperators[expr.operator];
    if (!op) throw new LabelRequirementError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new LabelSelector(requirements);
}

/** labels.SelectorFromSet: exact match on every pair (a Service's `spec.selector`); empty selects everything. */
export function labelSelectorFromSet(set: Record<string, string> | undefined): LabelSelector {
  const requirements = Object.entries(set ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]): LabelRequirement => ({ key, operator: '=', values: [value] }));
  return new LabelSelector(requirements);
}

/** labels.FormatLabels: "a=b,c=d" sorted by key, "<none>" when empty (kubectl SELECTOR / POD LABELS cells). */
export function formatLabels(set: Record<string, string> | undefined): string {
  const entries = Object.entries(set ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}
