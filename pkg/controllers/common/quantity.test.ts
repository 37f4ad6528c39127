import { describe, expect, it } from 'vitest';
import {
  canonicalQuantity,
  formatQuantity,
  parseQuantity,
  QUANTITY_ERROR,
  QuantityParseError,
  quantityFromMilli,
  quantityFromValue,
  quantityMilliValue,
  quantityValue,
} from './quantity.ts';

describe('canonicalQuantity (what kubectl shows after the API server stored it)', () => {
  it.each([
    ['0', '0'],
    ['0Gi', '0'],
    ['-0', '0'],
    ['500m', '500m'],
    ['0.5', '500m'],
    ['.5', '500m'],
    ['1', '1'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5k', '1500'],
    ['2000000', '2M'],
    ['0.0005', '500u'],
    ['1n', '1n'],
    ['0.1n', '1n'], // finer than nano rounds up, never to zero
    ['1.1n', '2n'],
    ['100M', '100M'],
    ['1G', '1G'],
    ['1E', '1E'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['1.5Ki', '1536'],
    ['0.5Ki', '512'], // below 1Ki binary quantities print as decimal
    ['1023', '1023'],
    ['1Ki', '1Ki'],
    ['2048Ki', '2Mi'],
    ['1025Ki', '1025Ki'],
    ['0.5Gi', '512Mi'],
    ['0.3Ki', '307200m'], // 307.2 is not whole: decimal form keeps the precision
    ['100Pi', '100Pi'],
    ['1024Pi', '1Ei'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['1e-3', '1e-3'],
    ['1.5e3', '1500'],
    ['12e6', '12e6'],
    ['+2', '2'],
    ['-500m', '-500m'],
    ['-1Gi', '-1Gi'],
    ['1.G', '1G'],
    ['99999999999999999999', '9223372036854775807'], // capped at int64
  ])('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it('accepts JSON numbers from manifests', () => {
    expect(canonicalQuantity(2)).toBe('2');
    expect(canonicalQuantity(0.25)).toBe('250m');
  });
});

describe('parseQuantity errors carry the Kubernetes messages', () => {
  it.each([
    ['', QUANTITY_ERROR.formatWrong],
    ['1 Gi', QUANTITY_ERROR.formatWrong],
    ['1Gi ', QUANTITY_ERROR.formatWrong],
    ['abc', QUANTITY_ERROR.formatWrong],
    ['1.2.3', QUANTITY_ERROR.formatWrong],
    ['100KB', QUANTITY_ERROR.formatWrong], // 'B' is not a suffix character at all
    ['100KK', QUANTITY_ERROR.suffix],
    ['1Ki5', QUANTITY_ERROR.suffix],
    ['1e', QUANTITY_ERROR.suffix],
    ['1g', QUANTITY_ERROR.formatWrong],
    ['Gi', QUANTITY_ERROR.numeric],
  ])('%j → %s', (input, message) => {
    let caught: unknown;
    try {
      parseQuantity(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QuantityParseError);
    expect((caught as QuantityParseError).message).toBe(message);
    expect((caught as QuantityParseError).input).toBe(input);
  });
});

describe('Value / MilliValue / Set / SetMilli', () => {
  it('rounds up like ScaledValue', () => {
    expect(quantityValue(parseQuantity('1.5'))).toBe(2n);
    expect(quantityValue(parseQuantity('1Ki'))).toBe(1024n);
    expect(quantityMilliValue(parseQuantity('1.0001'))).toBe(1001n);
    expect(quantityMilliValue(parseQuantity('250m'))).toBe(250n);
    expect(quantityValue(parseQuantity('-1.5'))).toBe(-2n);
  });

  it('keeps the format when setting a new value', () => {
    expect(formatQuantity(quantityFromValue(3n * 1024n ** 3n, 'BinarySI'))).toBe('3Gi');
    expect(formatQuantity(quantityFromValue(3000n, 'DecimalSI'))).toBe('3k');
    expect(formatQuantity(quantityFromMilli(333n, 'DecimalSI'))).toBe('333m');
    expect(formatQuantity(quantityFromValue(32000n, 'BinarySI'))).toBe('32000');
    expect(formatQuantity(quantityFromValue(1000n, 'DecimalExponent'))).toBe('1e3');
  });

  it('reports the format of the suffix', () => {
    expect(parseQuantity('1Gi').format).toBe('BinarySI');
    expect(parseQuantity('1G').format).toBe('DecimalSI');
    expect(parseQuantity('1').format).toBe('DecimalSI');
    expect(parseQuantity('1e9').format).toBe('DecimalExponent');
  });
});
