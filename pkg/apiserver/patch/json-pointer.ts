/**
 * RFC 6901 JSON pointers as evanphx/json-patch (the library kube-apiserver uses) reads them:
 * `~1` is `/`, `~0` is `~`, decoded left to right so `~01` is the literal `~1`.
 */
export function decodePointerToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

export function encodePointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Splits `/a/b~1c` into ['a', 'b/c']; the empty pointer '' is the whole document ([]). */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map(decodePointerToken);
}
