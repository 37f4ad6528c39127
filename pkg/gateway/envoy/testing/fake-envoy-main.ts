/**
 * A stand-in for the `envoy` binary (there is none on the project's machines): run with Envoy's
 * command line, it reads the bootstrap given by `-c`, serves the admin API's `/ready` and
 * `/clusters?format=json` on the bootstrap's admin port and exits on SIGTERM, as Envoy does. What
 * it does is read from `fake-envoy.json` next to the executable at every step, so a test can
 * change it while it runs; each start is appended to `starts.jsonl` there.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface FakeEnvoyBehaviour {
  /** Exit at once with this code after printing `stderr` (a bad bootstrap, say). */
  exitCode?: number;
  stderr?: string;
  /** `/ready` answers 503 until this long after the start. */
  readyAfterMs?: number;
  /** Keep running on SIGTERM (only SIGKILL ends it). */
  ignoreSigterm?: boolean;
  /** The body of `/clusters?format=json`. */
  clusters?: unknown;
}

const dir = process.env.FAKE_ENVOY_DIR ?? dirname(process.argv[1] ?? '.');
const behaviour = (): FakeEnvoyBehaviour => {
  try {
    return JSON.parse(readFileSync(join(dir, 'fake-envoy.json'), 'utf8')) as FakeEnvoyBehaviour;
  } catch {
    return {};
  }
};

const args = process.argv.slice(2);
const configPath = args[args.indexOf('-c') + 1] ?? '';
const bootstrap = parse(readFileSync(configPath, 'utf8')) as { admin: { address: { socket_address: { address: string; port_value: number } } } };
appendFileSync(join(dir, 'starts.jsonl'), `${JSON.stringify({ pid: process.pid, args, bootstrap })}\n`);

const first = behaviour();
if (first.exitCode !== undefined) {
  process.stderr.write(`${first.stderr ?? 'fake envoy: exiting'}\n`);
  process.exit(first.exitCode);
}

const startedAt = Date.now();
const admin = bootstrap.admin.address.socket_address;
const server = createServer((req, res) => {
  const b = behaviour();
  if (req.url === '/ready') {
    const live = Date.now() - startedAt >= (b.readyAfterMs ?? 0);
    res.writeHead(live ? 200 : 503, { 'content-type': 'text/plain' }).end(live ? 'LIVE\n' : 'PRE_INITIALIZING\n');
  } else if (req.url === '/clusters?format=json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(b.clusters ?? { cluster_statuses: [] }));
  } else {
    res.writeHead(404).end();
  }
});
server.listen(admin.port_value, admin.address, () => process.stderr.write(`[info] fake envoy admin listening on ${admin.address}:${admin.port_value}\n`));
process.on('SIGTERM', () => {
  if (behaviour().ignoreSigterm) return;
  process.stderr.write('[warning] caught SIGTERM\n');
  server.close();
  process.exit(0);
});
