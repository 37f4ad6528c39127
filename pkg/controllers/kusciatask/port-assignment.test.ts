import { describe, expect, it } from 'vitest';
import { buildPartyKit } from './party-kit.ts';
import { PortAllocator } from './port-allocator.ts';
import { AllocatedPortMissingError, allocateTaskPorts, resolvePodPorts } from './port-assignment.ts';
import { appImageFixture, taskFixture } from './testing/fixtures.ts';

describe('allocateTaskPorts / resolvePodPorts', () => {
  const task = taskFixture();
  const kits = task.spec.parties.map((p) => buildPartyKit(task, p, appImageFixture(), false));

  it('records one entry per party keyed <pod>/<port> and resolves them per pod', () => {
    const allocator = new PortAllocator({ pool: { start: 20000, end: 20100 }, random: () => 0 });
    const allocated = allocateTaskPorts(allocator, task, kits);
    expect(allocated).toEqual([
      {
        domainID: 'alice',
        role: 'client',
        namedPort: {
          'task-psi-client-0/spu': 20000,
          'task-psi-client-0/fed': 20001,
          'task-psi-client-0/global': 20002,
          'task-psi-client-0/node-manager': 20003,
        },
      },
      { domainID: 'bob', role: 'server', namedPort: { 'task-psi-server-0/api': 20004 } },
    ]);
    expect(resolvePodPorts(allocated, kits[1]!, kits[1]!.pods[0]!)).toEqual([{ name: 'api', port: 20004, scope: 'Cluster', protocol: 'HTTP' }]);
    expect(allocator.ownersOf('task-psi')).toEqual(['task-uid-1']);
  });

  it('fails clearly when a port was never allocated', () => {
    expect(() => resolvePodPorts([], kits[0]!, kits[0]!.pods[0]!)).toThrow(AllocatedPortMissingError);
    expect(() => resolvePodPorts([{ domainID: 'alice', role: 'client', namedPort: {} }], kits[0]!, kits[0]!.pods[0]!)).toThrow(
      'not found allocated port for task-psi-client-0/spu',
    );
  });
});
