/**
 * Reads the Kuscia CRD manifests (`crds/v1alpha1/*.yaml`). The `kuscia apiserver` bootstrap
 * creates them like `kubectl apply` would, and tests inspect them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { ObjectMeta } from '../apiserver/api/object.ts';
import type { Schema } from '../apiserver/schema/types.ts';

/** The CRD directory shipped with this repository. */
export const DEFAULT_CRD_DIR = fileURLToPath(new URL('../../crds/v1alpha1/', import.meta.url));

export interface CrdPrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema: Schema };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: CrdPrinterColumn[];
}

/** apiextensions.k8s.io/v1 CustomResourceDefinition, as far as the manifests use it. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: ObjectMeta;
  spec: {
    group: string;
    names: {
      kind: string;
      listKind?: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: CrdVersion[];
  };
}

/** A manifest file that is not valid YAML or does not hold CustomResourceDefinitions. */
export class CrdManifestError extends Error {
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'CrdManifestError';
    this.file = file;
  }
}

export interface LoadedCrd {
  /** Absolute path of the file it came from. */
  file: string;
  crd: CustomResourceDefinition;
}

/** Loads every CRD in `dir` (default: the repository's crds/v1alpha1), ordered by file name. */
export async function loadCrdManifests(dir: string = DEFAULT_CRD_DIR): Promise<CustomResourceDefinition[]> {
  return (await loadCrdManifestFiles(dir)).map((loaded) => loaded.crd);
}

/** Like {@link loadCrdManifests} but keeps the originating file of each CRD (for error messages and tests). */
export async function loadCrdManifestFiles(dir: string = DEFAULT_CRD_DIR): Promise<LoadedCrd[]> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const loaded: LoadedCrd[] = [];
  for (const name of names) {
    const file = join(dir, name);
    for (const crd of parseCrdManifest(file, await readFile(file, 'utf8'))) loaded.push({ file, crd });
  }
  return loaded;
}

/** Parses one (possibly multi-document) manifest; empty documents are skipped like kubectl does. */
export function parseCrdManifest(file: string, text: string): CustomResourceDefinition[] {
  const crds: CustomResourceDefinition[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new CrdManifestError(file, doc.errors[0].message);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    crds.push(asCrd(file, value));
  }
  return crds;
}

function asCrd(file: string, value: unknown): CustomResourceDefinition {
  const obj = value as Partial<CustomResourceDefinition>;
  if (typeof value !== 'object' || Array.isArray(value)) throw new CrdManifestError(file, 'document is not an object');
  if (obj.apiVersion !== 'apiextensions.k8s.io/v1' || obj.kind !== 'CustomResourceDefinition') {
    throw new CrdManifestError(file, `expected apiextensions.k8s.io/v1 CustomResourceDefinition, got ${obj.apiVersion}/${obj.kind}`);
  }
  if (!obj.metadata?.name || !obj.spec?.names?.plural || !Array.isArray(obj.spec.versions)) {
    throw new CrdManifestError(file, 'CustomResourceDefinition needs metadata.name, spec.names.plural and spec.versions');
  }
  return obj as CustomResourceDefinition;
}
