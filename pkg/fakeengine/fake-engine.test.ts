import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_BIN_DIR } from '../agent/images/builtin-images.ts';
import { EnvContractError, readTaskEnv } from './env-contract.ts';

const goodEnv = {
  KUSCIA_DOMAIN_ID: 'alice',
  TASK_ID: 'task-1',
  TASK_INPUT_CONFIG: '{}',
  TASK_CLUSTER_DEFINE: '{"parties":[]}',
  ALLOCATED_PORTS: '{"ports":[{"name":"node-manager","port":20001,"scope":"Local","protocol":"GRPC"}]}',
  KUSCIA_PORT_NODE_MANAGER_NUMBER: '20001',
};

describe('fake engine env contract', () => {
  it('accepts the full contract', () => {
    expect(readTaskEnv(goodEnv)).toMatchObject({ domainID: 'alice', taskID: 'task-1', ports: [{ name: 'node-manager', port: 20001 }] });
  });
  it.each([
    [{ TASK_ID: undefined }, 'environment variable TASK_ID is missing'],
    [{ TASK_CLUSTER_DEFINE: '{' }, 'environment variable TASK_CLUSTER_DEFINE is not valid JSON'],
    [{ KUSCIA_PORT_NODE_MANAGER_NUMBER: undefined }, 'environment variable KUSCIA_PORT_NODE_MANAGER_NUMBER is missing'],
    [{ KUSCIA_PORT_NODE_MANAGER_NUMBER: '1' }, 'KUSCIA_PORT_NODE_MANAGER_NUMBER is 1 but ALLOCATED_PORTS gives port node-manager = 20001'],
  ])('refuses %j', (change, message) => {
    expect(() => readTaskEnv({ ...goodEnv, ...change })).toThrow(EnvContractError);
    expect(() => readTaskEnv({ ...goodEnv, ...change })).toThrow(message);
  });
});

describe('bin/fake-engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-engine-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (env: Record<string, string | undefined>) =>
    spawnSync(join(REPO_BIN_DIR, 'fake-engine'), [], { cwd: dir, env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv, encoding: 'utf8' });

  it('exits non-zero with a clear message when the contract is broken', () => {
    const r = run({ ...goodEnv, KUSCIA_DOMAIN_ID: undefined });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('fake-engine: environment variable KUSCIA_DOMAIN_ID is missing');
  });

  it('does what its task input config says: output file, message on stderr and in the termination log, exit code', () => {
    const messageFile = join(dir, 'termination-log');
    const r = run({ ...goodEnv, TASK_INPUT_CONFIG: '{"exit":7,"message":"bad input","output":"out/result.json"}', KUSCIA_TERMINATION_MESSAGE_PATH: messageFile });
    expect(r.status).toBe(7);
    expect(r.stderr).toContain('bad input');
    expect(readFileSync(messageFile, 'utf8')).toBe('bad input');
    expect(JSON.parse(readFileSync(join(dir, 'out/result.json'), 'utf8'))).toEqual({ taskID: 'task-1', domainID: 'alice' });
  });

  it('exits 143 on SIGTERM', () => {
    const out = execFileSync('sh', ['-c', `${join(REPO_BIN_DIR, 'fake-engine')} & p=$!; sleep 0.5; kill -TERM $p; wait $p; echo "rc=$?"`], {
      cwd: dir, env: { PATH: process.env.PATH, ...goodEnv, TASK_INPUT_CONFIG: '{"sleep":10}' }, encoding: 'utf8',
    });
    expect(out).toContain('rc=143');
  });
});
