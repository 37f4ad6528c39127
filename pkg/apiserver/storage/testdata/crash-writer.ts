/**
 * Child process for the durability test: opens the SQLite store at argv[2] and creates keys in a
 * loop, printing "<key> <revision>" only after each create has returned (i.e. is acknowledged).
 * It never stops on its own; the test kills it with SIGKILL.
 */
import { once } from 'node:events';
import { createSqliteStore } from '../sqlite-store.ts';

const store = createSqliteStore({ path: process.argv[2] });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const key = `/registry/configmaps/crash/cm-${i}`;
  const entry = store.create(key, (rev) => JSON.stringify({ metadata: { name: `cm-${i}`, resourceVersion: String(rev) }, data: { i } }));
  // stdout to a pipe is asynchronous: let it flush so acknowledgements reach the test while we write.
  if (!process.stdout.write(`${key} ${entry.modRevision}\n`)) await once(process.stdout, 'drain');
  else if (i % 64 === 0) await new Promise(setImmediate);
}
