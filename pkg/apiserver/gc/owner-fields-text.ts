/**
 * What the garbage collector reads of an object (metadata.ownerReferences, metadata.finalizers,
 * metadata.deletionTimestamp), taken from the stored JSON text without parsing it.
 *
 * Dependents (TaskResources, TaskResourceGroups, ...) are written many times while their owners
 * and finalizers stay the same; comparing this text with the one seen last lets the collector
 * skip parsing and re-indexing them. Equal texts mean equal values, so a skip never misses a
 * change. Anything the scanner does not expect (whitespace, duplicate keys, a deletion under way)
 * answers undefined and the caller parses the object as before.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * The raw JSON of the top-level metadata's ownerReferences and finalizers, as one string; undefined
 * when the text is not compact JSON the scanner understands or the object is being deleted.
 */
export function ownerFieldsText(text: string): string | undefined {
  if (text.charCodeAt(0) !== OPEN_BRACE) return undefined;
  let i = 1;
  while (i < text.length) {
    const keyEnd = skipString(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== COLON) return undefined;
    const key = text.slice(i + 1, keyEnd - 1);
    const valueStart = keyEnd + 1;
    if (key === 'metadata') return metadataOwnerFields(text, valueStart);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0 || text.charCodeAt(valueEnd) !== COMMA) return undefined;
    i = valueEnd + 1;
  }
  return undefined;
}

function metadataOwnerFields(text: string, start: number): string | undefined {
  if (text.charCodeAt(start) !== OPEN_BRACE) return undefined;
  let ownerReferences = '';
  let finalizers = '';
  let i = start + 1;
  if (text.charCodeAt(i) === CLOSE_BRACE) return '\u0000';
  for (;;) {
    const keyEnd = skipString(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== COLON) return undefined;
    const key = text.slice(i + 1, keyEnd - 1);
    const valueStart = keyEnd + 1;
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return undefined;
    if (key === 'deletionTimestamp') return undefined;
    if (key === 'ownerReferences' || key === 'finalizers') {
      const value = text.slice(valueStart, valueEnd);
      // A duplicate key would make the parsed value differ from the first one seen here.
      if ((key === 'ownerReferences' ? ownerReferences : finalizers) !== '') return undefined;
      if (key === 'ownerReferences') ownerReferences = value;
      else finalizers = value;
    }
    const next = text.charCodeAt(valueEnd);
    if (next === CLOSE_BRACE) return `${ownerReferences}\u0000${finalizers}`;
    if (next !== COMMA) return undefined;
    i = valueEnd + 1;
  }
}

/** `i` at an opening quote; the index after the closing one, or -1. */
function skipString(text: string, i: number): number {
  if (text.charCodeAt(i) !== QUOTE) return -1;
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** `i` at the first character of a value; the index after it, or -1. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    while (i < text.length) {
      const ch = text.charCodeAt(i);
      if (ch === QUOTE) {
        i = skipString(text, i);
        if (i < 0) return -1;
        continue;
      }
      if (ch === OPEN_BRACE || ch === OPEN_BRACKET) depth++;
      else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // A number, true, false or null: up to the next separator.
  let j = i;
  while (j < text.length) {
    const ch = text.charCodeAt(j);
    if (ch === COMMA || ch === CLOSE_BRACE || ch === CLOSE_BRACKET) break;
    j++;
  }
  return j > i && j < text.length ? j : -1;
}
