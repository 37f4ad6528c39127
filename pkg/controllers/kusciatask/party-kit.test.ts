import { describe, expect, it } from 'vitest';
import { buildPartyKit, PartyKitError } from './party-kit.ts';
import { appImageFixture, taskFixture } from './testing/fixtures.ts';

describe('buildPartyKit', () => {
  it('selects the template by role, names pods and Services, defaults minReservedPods', () => {
    const task = taskFixture();
    task.spec.parties[0]!.template = { replicas: 2 };
    const kit = buildPartyKit(task, task.spec.parties[0]!, appImageFixture(), false);
    expect(kit.image).toBe('secretflow/secretflow-lite-anolis8:1.11.0b1');
    expect(kit.imageID).toBe('sha256:abc');
    expect(kit.template.name).toBe('client-template');
    expect(kit.minReservedPods).toBe(2);
    expect(kit.pods.map((p) => p.name)).toEqual(['task-psi-client-0', 'task-psi-client-1']);
    expect(kit.pods[1]!.identity).toBe('task-uid-1-client-1');
    expect(kit.servicedPorts.map((p) => p.name)).toEqual(['spu', 'fed', 'global']);
    expect(kit.pods[0]!.serviceNames).toEqual({ spu: 'task-psi-client-0-spu', fed: 'task-psi-client-0-fed', global: 'task-psi-client-0-global' });
    expect(kit.portAccessDomains).toEqual({ spu: 'alice,bob', fed: 'alice,bob' });
  });

  it('names pods without the role when the party has none', () => {
    const task = taskFixture();
    const party = { domainID: 'alice', appImageRef: 'secretflow-image' };
    task.spec.parties = [party];
    const kit = buildPartyKit(task, party, appImageFixture(), false);
    expect(kit.pods.map((p) => p.name)).toEqual(['task-psi-0']);
    expect(kit.pods[0]!.identity).toBe('task-uid-1-0');
    // A single-party task opens no port to other domains.
    expect(kit.portAccessDomains).toEqual({});
  });

  it('refuses duplicate port names across containers and unknown roles', () => {
    const image = appImageFixture();
    image.spec.deployTemplates[0]!.spec.containers!.push({ name: 'second', ports: [{ name: 'spu' }] });
    const task = taskFixture();
    expect(() => buildPartyKit(task, task.spec.parties[0]!, image, false)).toThrow(PartyKitError);
    expect(() => buildPartyKit(task, task.spec.parties[0]!, image, false)).toThrow('duplicate port "spu"');
    const stranger = { domainID: 'carol', appImageRef: 'secretflow-image', role: 'observer' };
    expect(() => buildPartyKit(task, stranger, appImageFixture(), false)).toThrow('not found deploy template for role observer');
  });
});
