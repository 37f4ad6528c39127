import { labelKeyProblem, LabelRequirementError, newRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.ts';

/**
 * The labelSelector query-string grammar, lexed and parsed exactly like
 * k8s.io/apimachinery/pkg/labels (Lexer + Parser), so the same inputs are accepted and the same
 * error texts come back:
 *
 *   selector    ::= requirement ("," requirement)*
 *   requirement ::= ["!"] KEY [ ("in"|"notin") "(" values ")" | ("="|"=="|"!="|">"|"<") VALUE ]
 */

type Token =
  | 'error'
  | 'end'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface ScannedItem {
  tok: Token;
  literal: string;
}

const literalTokens: Record<string, Token> = {
  ')': 'closedPar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'greaterThan',
  in: 'in',
  '<': 'lessThan',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
};

const binaryOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

/** Splits the selector into tokens; works on bytes like Go so multi-byte characters stay inside identifiers. */
function scan(input: string): ScannedItem[] {
  const s = input;
  let pos = 0;
  const items: ScannedItem[] = [];
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', literal: '' });
      return items;
    }
    if (isSpecialSymbol(s[pos])) {
      // Longest run of symbols that still forms a known operator ("!=" but not "!(").
      let buffer = '';
      let last: ScannedItem | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        buffer += s[pos];
        const tok = literalTokens[buffer];
        if (tok) {
          last = { tok, literal: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = '';
    while (pos < s.length && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) buffer += s[pos++];
    items.push({ tok: literalTokens[buffer] ?? 'identifier', literal: buffer });
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private readonly items: ScannedItem[];
  private position = 0;

  constructor(input: string) {
    this.items = scan(input);
  }

  /** In a values context the keywords "in"/"notin" are plain identifiers ("x in (in)"). */
  private lookahead(ctx: Context): ScannedItem {
    const item = this.items[this.position];
    return ctx === 'values' && (item.tok === 'in' || item.tok === 'notIn') ? { tok: 'identifier', literal: item.literal } : item;
  }

  private consume(ctx: Context): ScannedItem {
    const item = this.lookahead(ctx);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead('values');
      switch (tok) {
        case 'identifier':
        case 'doesNotExist': {
          try {
            requirements.push(this.parseRequirement());
          } catch (e) {
            if (e instanceof LabelRequirementError) throw new LabelRequirementError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          const next = this.consume('values');
          if (next.tok === 'end') return requirements;
          if (next.tok === 'comma') {
            const after = this.lookahead('values');
            if (after.tok !== 'identifier' && after.tok !== 'doesNotExist') {
              throw new LabelRequirementError(`found '${after.literal}', expected: identifier after ','`);
            }
            break;
          }
          throw new LabelRequirementError(`found '${next.literal}', expected: ',' or 'end of string'`);
        }
        case 'end':
          return requirements;
        default:
          throw new LabelRequirementError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // sets.String.List(): unique and sorted.
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let item = this.consume('values');
    if (item.tok === 'doesNotExist') {
      operator = '!';
      item = this.consume('values');
    }
    if (item.tok !== 'identifier') throw new LabelRequirementError(`found '${item.literal}', expected: identifier`);
    const problem = labelKeyProblem(item.literal);
    if (problem) throw new LabelRequirementError(problem);
    const next = this.lookahead('values').tok;
    if ((next === 'end' || next === 'comma') && operator !== '!') operator = 'exists';
    return { key: item.literal, operator };
  }

  private parseOperator(): LabelOperator {
    const { tok, literal } = this.consume('keyAndOperator');
    switch (tok) {
      case 'in':
        return 'in';
      case 'equals':
        return '=';
      case 'doubleEquals':
        return '==';
      case 'greaterThan':
        return 'gt';
      case 'lessThan':
        return 'lt';
      case 'notIn':
        return 'notin';
      case 'notEquals':
        return '!=';
      default:
        throw new LabelRequirementError(`found '${literal}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  private parseValues(): string[] {
    const open = this.consume('values');
    if (open.tok !== 'openPar') throw new LabelRequirementError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead('values');
    switch (tok) {
      case 'identifier':
      case 'comma': {
        const values = this.parseIdentifiersList();
        if (this.consume('values').tok !== 'closedPar') throw new LabelRequirementError(`found '${literal}', expected: ')'`);
        return values;
      }
      case 'closedPar':
        this.consume('values');
        return [''];
      default:
        throw new LabelRequirementError(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  /** A comma-separated list where empty entries mean the empty value: "(a,,b)", "(,a)", "(a,)". */
  private parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume('values');
      if (tok === 'identifier') {
        values.add(literal);
        const next = this.lookahead('values');
        if (next.tok === 'comma') continue;
        if (next.tok === 'closedPar') return [...values];
        throw new LabelRequirementError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (tok === 'comma') {
        if (values.size === 0) values.add('');
        const next = this.lookahead('values').tok;
        if (next === 'closedPar') {
          values.add('');
          return [...values];
        }
        if (next === 'comma') values.add('');
        continue;
      }
      throw new LabelRequirementError(`found '${literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead('values').tok;
    if (next === 'end' || next === 'comma') return [''];
    const { tok, literal } = this.consume('values');
    if (tok === 'identifier') return [literal];
    throw new LabelRequirementError(`found '${literal}', expected: identifier`);
  }
}

/** labels.Parse: requirements sorted by key (stable, as Go's sort.Sort is not guaranteed stable but keys rarely repeat). */
export function parseLabelRequirements(selector: string): LabelRequirement[] {
  const requirements = new Parser(selector).parse();
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
