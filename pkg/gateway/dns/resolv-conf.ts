import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

/** The `nameserver` lines of a resolv.conf (resolv.conf(5)), in order; other lines are not ours. */
export function parseResolvConf(text: string): Upstream[] {
  const out: Upstream[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, address] = line.split(/\s+/);
    if (keyword !== 'nameserver' || !address) continue;
    // An IPv6 link-local server may carry its zone (fe80::1%eth0); Node's sockets take it as is.
    if (isIP(address.split('%')[0]!) !== 0) out.push({ host: address, port: 53 });
  }
  return out;
}

/** The system's resolvers; none configured means the local one, as the C library assumes. */
export async function systemUpstreams(path = '/etc/resolv.conf'): Promise<Upstream[]> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // no resolv.conf: the C library's default
  }
  const found = parseResolvConf(text);
  return found.length > 0 ? found : [{ host: '127.0.0.1', port: 53 }];
}

/** `10.0.0.2`, `10.0.0.2:5353`, `::1`, `[::1]:5353`. */
export function parseUpstream(spec: string): Upstream {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (bracketed) return checked(spec, bracketed[1]!, bracketed[2]);
  if (isIP(spec.split('%')[0]!) !== 0) return { host: spec, port: 53 };
  const colon = spec.lastIndexOf(':');
  return checked(spec, spec.slice(0, colon), colon === -1 ? undefined : spec.slice(colon + 1));
}

function checked(spec: string, host: string, port: string | undefined): Upstream {
  const n = port === undefined ? 53 : Number(port);
  if (isIP(host.split('%')[0]!) === 0 || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`dns upstream ${JSON.stringify(spec)}: expected an IP address with an optional port`);
  return { host, port: n };
}
