import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * RunP runs "built-in" apps (Kuscia's BuiltIn images): there is no image to pull, an image
 * reference `name:tag` names an app installed on the host. A catalogue entry says which host
 * directory goes first on the container's PATH, which extra variables it gets, and the command
 * that runs when the pod gives none (the image's ENTRYPOINT).
 */
export interface BuiltinImage {
  /** Host directory prepended to PATH (absolute). */
  binDir: string;
  /** Extra environment (the container's own env wins). */
  env?: Record<string, string>;
  /** Used when the container has no `command`. */
  entrypoint?: string[];
}

export interface BuiltinImages {
  /** The entry for an image reference (`name` alone means `name:latest`), or undefined when unknown. */
  lookup(image: string): BuiltinImage | undefined;
  /** The imageID RunP reports for a known image. */
  imageID(image: string): string;
}

/** The repository's own bin/ (bin/fake-engine), from this file's location. */
export const REPO_BIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin');

/** What every RunP knows without configuration. */
export function defaultBuiltinCatalogue(): Record<string, BuiltinImage> {
  return { 'kuscia/fake-engine:latest': { binDir: REPO_BIN_DIR, entrypoint: ['fake-engine'] } };
}

export class BuiltinCatalogueError extends Error {
  override readonly name = 'BuiltinCatalogueError';
}

/** `name` → `name:latest`; a digest or tag is kept as written. */
export function normaliseImageRef(image: string): string {
  const lastSlash = image.lastIndexOf('/');
  return image.includes('@') || image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

export function builtinImages(catalogue: Record<string, BuiltinImage>): BuiltinImages {
  const entries = new Map(Object.entries(catalogue).map(([ref, entry]) => [normaliseImageRef(ref), entry]));
  return {
    lookup: (image) => entries.get(normaliseImageRef(image)),
    imageID: (image) => `builtin://${normaliseImageRef(image)}`,
  };
}

/**
 * The default catalogue plus `<rootDir>/images/builtin.json` when it exists:
 * `{"images": {"name:tag": {"binDir": "/opt/app/bin", "env": {...}, "entrypoint": [...]}}}`.
 * A relative binDir is relative to the JSON file's directory. A malformed file is an error
 * (the operator wrote it; silently ignoring it would hide every app it lists).
 */
export async function loadBuiltinImages(rootDir: string): Promise<BuiltinImages> {
  const file = join(rootDir, 'images', 'builtin.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return builtinImages(defaultBuiltinCatalogue());
    throw err;
  }
  return builtinImages({ ...defaultBuiltinCatalogue(), ...parseCatalogue(text, file) });
}

export function parseCatalogue(text: string, file: string): Record<string, BuiltinImage> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BuiltinCatalogueError(`${file}: not JSON: ${(err as Error).message}`);
  }
  const images = (doc as { images?: unknown } | null)?.images;
  if (typeof images !== 'object' || images === null || Array.isArray(images)) {
    throw new BuiltinCatalogueError(`${file}: "images" must be an object of image reference → entry`);
  }
  const out: Record<string, BuiltinImage> = {};
  for (const [ref, raw] of Object.entries(images as Record<string, unknown>)) {
    const entry = raw as Partial<BuiltinImage> | null;
    if (typeof entry?.binDir !== 'string' || entry.binDir === '') {
      throw new BuiltinCatalogueError(`${file}: images["${ref}"].binDir must be a non-empty string`);
    }
    if (entry.env !== undefined && !isStringMap(entry.env)) {
      throw new BuiltinCatalogueError(`${file}: images["${ref}"].env must map names to strings`);
    }
    if (entry.entrypoint !== undefined && !(Array.isArray(entry.entrypoint) && entry.entrypoint.every((a) => typeof a === 'string'))) {
      throw new BuiltinCatalogueError(`${file}: images["${ref}"].entrypoint must be a list of strings`);
    }
    out[ref] = {
      binDir: resolve(dirname(file), entry.binDir),
      ...(entry.env ? { env: entry.env } : {}),
      ...(entry.entrypoint ? { entrypoint: entry.entrypoint } : {}),
    };
  }
  return out;
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
