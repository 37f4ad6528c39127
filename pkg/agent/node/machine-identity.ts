import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Who this machine is, to tell "the same agent restarting" from "another machine registering a node
 * of the same name". /etc/machine-id where the OS has one (as the kubelet reports it); else an id
 * generated once and kept in the agent's state root.
 */
export async function machineIdentity(rootDir: string): Promise<string> {
  const system = (await readOptional('/etc/machine-id'))?.trim();
  if (system) return system;
  const file = join(rootDir, 'machine-id');
  const kept = (await readOptional(file))?.trim();
  if (kept) return kept;
  const id = randomUUID().replaceAll('-', '');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${id}\n`, { mode: 0o600 });
  return id;
}

/** The kernel's boot id: changes on reboot, as nodeInfo.bootID. */
export async function bootIdentity(): Promise<string> {
  return (await readOptional('/proc/sys/kernel/random/boot_id'))?.trim() ?? '';
}

/** PRETTY_NAME of /etc/os-release, as nodeInfo.osImage. */
export async function osImage(): Promise<string> {
  const text = (await readOptional('/etc/os-release')) ?? '';
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Unknown';
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
