/**
 * field.Path rendering: `spec.tasks[0].alias`, map keys as `[key]`. A missing root renders as
 * Go's nil *Path does (`<nil>`), which Kubernetes shows for schema-level errors with no field.
 */
export const NIL_PATH = '<nil>';

export function childPath(parent: string | undefined, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

export function indexPath(parent: string | undefined, i: number): string {
  return `${parent ?? ''}[${i}]`;
}

export function keyPath(parent: string | undefined, key: string): string {
  return `${parent ?? ''}[${key}]`;
}
