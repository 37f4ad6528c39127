import { accessSync, constants, statSync } from 'node:fs';

/** A regular file this process may execute (what execvp would run). */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
