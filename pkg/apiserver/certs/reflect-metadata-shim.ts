/**
 * @peculiar/x509 registers its algorithms through tsyringe, which refuses to load unless the
 * `reflect-metadata` API exists on the global `Reflect` (it reads decorator metadata with it).
 * The `reflect-metadata` package is not a dependency of this project, so this installs the three
 * functions tsyringe calls — getMetadata, getOwnMetadata, defineMetadata — backed by a WeakMap.
 * It never replaces an existing implementation (e.g. the real package loaded by someone else).
 */
type MetadataStore = Map<string | symbol | undefined, Map<unknown, unknown>>;

interface ReflectWithMetadata {
  getMetadata?(key: unknown, target: object, property?: string | symbol): unknown;
  getOwnMetadata?(key: unknown, target: object, property?: string | symbol): unknown;
  defineMetadata?(key: unknown, value: unknown, target: object, property?: string | symbol): void;
}

const reflect = Reflect as unknown as ReflectWithMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const stores = new WeakMap<object, MetadataStore>();
  const own = (key: unknown, target: object, property?: string | symbol) => stores.get(target)?.get(property)?.get(key);

  reflect.defineMetadata = (key, value, target, property) => {
    let store = stores.get(target);
    if (!store) stores.set(target, (store = new Map()));
    let entries = store.get(property);
    if (!entries) store.set(property, (entries = new Map()));
    entries.set(key, value);
  };
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key, target, property) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t)) {
      const value = own(key, t, property);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

export {};
