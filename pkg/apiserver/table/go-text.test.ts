import { describe, expect, it } from 'vitest';
import { jsonPathText } from './go-text.ts';

describe('jsonPathText (client-go jsonpath printing)', () => {
  it.each<[unknown, string]>([
    ['plain', 'plain'],
    [3, '3'],
    [1.5, '1.5'],
    [0.00001, '1e-05'],
    [1.5e21, '1.5e+21'],
    [true, 'true'],
    [{ b: 1, a: '<x>' }, '{"a":"\\u003cx\\u003e","b":1}'],
    [['a', 2], '["a",2]'],
  ])('%j → %s', (value, text) => {
    expect(jsonPathText(value)).toBe(text);
  });
});
