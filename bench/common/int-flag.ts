/** A whole-number command-line option of a benchmark (parseArgs gives strings), at least `min`. */
export function intFlag(values: Record<string, unknown>, name: string, min: number): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
}
