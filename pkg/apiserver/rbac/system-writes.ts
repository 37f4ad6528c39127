import type { WriteOptions } from '../registry/write-options.ts';

/** Write options of the server's own controllers: real writes under their field manager. */
export function systemWrite(fieldManager: string): WriteOptions {
  return { dryRun: false, fieldManager, fieldValidation: 'Strict', warnings: [] };
}
