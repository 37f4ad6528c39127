/**
 * Kubernetes resource quantities (Go: k8s.io/apimachinery/pkg/api/resource), exact.
 *
 * Controllers compute with quantities (splitting a party's CPU over its containers, summing pod
 * requests) and write the results back into objects users read with kubectl, so both the
 * arithmetic and the printed form must be what Kubernetes would produce: values are kept as an
 * integer number of nano-units (k8s rounds anything finer *up* to 1n when parsing), and
 * {@link formatQuantity} prints the canonical form of `Quantity.String()` ("500m", "1536Mi", "1Gi").
 */

/** How a quantity prints: the family of the suffix it was written with. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/** Kubernetes' own error texts (resource.ErrFormatWrong, ErrNumeric, ErrSuffix). */
export const QUANTITY_ERROR = {
  formatWrong: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
} as const;

export class QuantityParseError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.name = 'QuantityParseError';
    this.input = input;
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;
/** k8s caps every parsed quantity at the largest int64. */
const MAX_VALUE = 2n ** 63n - 1n;
const MAX_NANOS = MAX_VALUE * NANOS_PER_UNIT;
/** Exponents beyond this are capped or rounded anyway; bounding them keeps 10n ** e cheap. */
const EXPONENT_BOUND = 64;

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const SUFFIX_CHARS = 'eEinumkKMGTP';

interface Suffix {
  /** base^exponent multiplies the number. */
  base: 2n | 10n;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined && Object.hasOwn(DECIMAL_SUFFIXES, suffix)) {
    return { base: 10n, exponent: decimal, format: 'DecimalSI' };
  }
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined && Object.hasOwn(BINARY_SUFFIXES, suffix)) {
    return { base: 2n, exponent: binary * 10, format: 'BinarySI' };
  }
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    return { base: 10n, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Splits "<sign><digits>.<digits><suffix>" the way k8s' parseQuantityString does. */
function splitQuantityString(input: string): { negative: boolean; whole: string; fraction: string; suffix: string } {
  let pos = 0;
  let negative = false;
  if (input[0] === '-' || input[0] === '+') {
    negative = input[0] === '-';
    pos++;
  }
  const wholeStart = pos;
  while (pos < input.length && isDigit(input[pos]!)) pos++;
  const whole = input.slice(wholeStart, pos);
  let fraction = '';
  if (input[pos] === '.') {
    const fractionStart = ++pos;
    while (pos < input.length && isDigit(input[pos]!)) pos++;
    fraction = input.slice(fractionStart, pos);
  }
  const suffixStart = pos;
  while (pos < input.length && SUFFIX_CHARS.includes(input[pos]!)) pos++;
  if (input[pos] === '-' || input[pos] === '+') pos++;
  while (pos < input.length && isDigit(input[pos]!)) pos++;
  if (pos !== input.length) throw new QuantityParseError(input, QUANTITY_ERROR.formatWrong);
  return { negative, whole, fraction, suffix: input.slice(suffixStart) };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Ceiling division of non-negative bigints. */
function divCeil(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * Parses a quantity as kube-apiserver does: JSON numbers are accepted too (a manifest may say
 * `cpu: 2`). Precision finer than 1n is rounded up (away from zero), magnitudes are capped at
 * 2^63-1 units.
 */
export function parseQuantity(raw: string | number): Quantity {
  const input = typeof raw === 'number' ? String(raw) : raw;
  if (input.length === 0) throw new QuantityParseError(input, QUANTITY_ERROR.formatWrong);
  const { negative, whole, fraction, suffix } = splitQuantityString(input);
  if (whole.length === 0 && fraction.length === 0) throw new QuantityParseError(input, QUANTITY_ERROR.numeric);
  const parsedSuffix = interpretSuffix(suffix);
  if (parsedSuffix === undefined) throw new QuantityParseError(input, QUANTITY_ERROR.suffix);

  const digits = BigInt(`${whole}${fraction}` || '0');
  // value = digits × base^exponent / 10^fraction.length; in nanos multiply by 10^9.
  let numerator = digits * NANOS_PER_UNIT;
  let denominator = 10n ** BigInt(fraction.length);
  const { base, format } = parsedSuffix;
  const exponent = Math.max(-EXPONENT_BOUND, Math.min(EXPONENT_BOUND, parsedSuffix.exponent));
  if (exponent >= 0) numerator *= base ** BigInt(exponent);
  else denominator *= base ** BigInt(-exponent);
  let nanos = divCeil(numerator, denominator);
  if (nanos > MAX_NANOS) nanos = MAX_NANOS;
  return { nanos: negative ? -nanos : nanos, format };
}

/** The canonical text of a quantity, identical to Kubernetes' `Quantity.String()`. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  // Binary suffixes only for whole numbers of at least 1Ki; anything else would need a fraction.
  const binary = q.format === 'BinarySI' && magnitude >= 1024n * NANOS_PER_UNIT && magnitude % NANOS_PER_UNIT === 0n;
  if (binary) {
    let mantissa = magnitude / NANOS_PER_UNIT;
    let power = 0;
    while (power < BINARY_SUFFIX_BY_POWER.length - 1 && mantissa % 1024n === 0n) {
      mantissa /= 1024n;
      power++;
    }
    return `${sign}${mantissa}${BINARY_SUFFIX_BY_POWER[power]}`;
  }
  // Largest exponent that is a multiple of 3 and keeps the mantissa whole.
  let mantissa = magnitude;
  let exponent = -9;
  while (exponent < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
}

/** `ParseQuantity(s).String()`: how Kubernetes stores and prints what a user wrote. */
export function canonicalQuantity(raw: string | number): string {
  return formatQuantity(parseQuantity(raw));
}

/** Rounds nanos to a coarser unit, away from zero (k8s `ScaledValue` rounds up). */
function scaleNanos(nanos: bigint, nanosPerUnit: bigint): bigint {
  return nanos < 0n ? -divCeil(-nanos, nanosPerUnit) : divCeil(nanos, nanosPerUnit);
}

/** `Quantity.Value()`: whole units, rounded up. */
export function quantityValue(q: Quantity): bigint {
  return scaleNanos(q.nanos, NANOS_PER_UNIT);
}

/** `Quantity.MilliValue()`: thousandths, rounded up. */
export function quantityMilliValue(q: Quantity): bigint {
  return scaleNanos(q.nanos, 1_000_000n);
}

/** `Quantity.Set(value)`: keeps the format. */
export function quantityFromValue(value: bigint, format: QuantityFormat): Quantity {
  return { nanos: value * NANOS_PER_UNIT, format };
}

/** `Quantity.SetMilli(milli)`: keeps the format. */
export function quantityFromMilli(milli: bigint, format: QuantityFormat): Quantity {
  return { nanos: milli * 1_000_000n, format };
}
