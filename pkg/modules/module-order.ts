import type { Module } from './module.ts';

export class ModuleGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleGraphError';
  }
}

/**
 * The modules in an order where each comes after its dependencies (stable: ties keep the given
 * order). Unknown dependencies and cycles are programming errors of the mode's wiring.
 */
export function dependencyOrder(modules: readonly Module[]): Module[] {
  const byName = new Map<string, Module>();
  for (const m of modules) {
    if (byName.has(m.name)) throw new ModuleGraphError(`module ${m.name} is defined twice`);
    byName.set(m.name, m);
  }
  const ordered: Module[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: Module, path: string[]) => {
    const s = state.get(m.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new ModuleGraphError(`module dependency cycle: ${[...path, m.name].join(' -> ')}`);
    state.set(m.name, 'visiting');
    for (const dep of m.dependsOn) {
      const d = byName.get(dep);
      if (!d) throw new ModuleGraphError(`module ${m.name} depends on unknown module ${dep}`);
      visit(d, [...path, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of modules) visit(m, []);
  return ordered;
}
