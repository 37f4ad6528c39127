import { describe, expect, it } from 'vitest';
import type { DeployTemplate } from '../../crd/index.ts';
import { mergePartyTemplate, minReservedPodsOf, replicasOf } from './party-template.ts';

const base = (): DeployTemplate => ({
  name: 'tpl',
  role: 'server',
  replicas: 1,
  spec: {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'main',
        command: ['sh'],
        args: ['-c', 'serve'],
        env: [{ name: 'A', value: '1' }],
        resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2' } },
      },
      { name: 'sidecar', command: ['proxy'] },
    ],
  },
});

describe('mergePartyTemplate', () => {
  it('keeps the deploy template when the party says nothing', () => {
    expect(mergePartyTemplate(base(), undefined)).toEqual(base());
    expect(mergePartyTemplate(base(), {})).toEqual(base());
  });

  it('overrides replicas and restartPolicy', () => {
    const merged = mergePartyTemplate(base(), { replicas: 3, spec: { restartPolicy: 'OnFailure' } });
    expect(merged.replicas).toBe(3);
    expect(merged.spec.restartPolicy).toBe('OnFailure');
  });

  it('applies party containers by position: name, command+args together, env appended, resources per key', () => {
    const merged = mergePartyTemplate(base(), {
      spec: {
        containers: [
          {
            name: 'renamed',
            args: ['--fast'],
            env: [{ name: 'B', value: '2' }],
            resources: { requests: { cpu: '500m' }, limits: { memory: '4Gi' } },
          },
        ],
      },
    });
    const [main, sidecar] = merged.spec.containers!;
    expect(main!.name).toBe('renamed');
    // Setting args alone drops the template's command, as in Kuscia.
    expect(main!.command).toBeUndefined();
    expect(main!.args).toEqual(['--fast']);
    expect(main!.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(main!.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    expect(sidecar).toEqual({ name: 'sidecar', command: ['proxy'] });
  });

  it('ignores party containers beyond the template and never mutates the AppImage', () => {
    const template = base();
    const merged = mergePartyTemplate(template, { spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'extra' }] } });
    expect(merged.spec.containers!.map((c) => c.name)).toEqual(['a', 'b']);
    expect(template).toEqual(base());
  });
});

describe('replicas and minReservedPods defaults', () => {
  it('defaults replicas to 1 and minReservedPods to the replicas', () => {
    expect(replicasOf({ name: 't', spec: {} })).toBe(1);
    expect(minReservedPodsOf(undefined, 3)).toBe(3);
    expect(minReservedPodsOf(0, 3)).toBe(3);
    expect(minReservedPodsOf(-1, 3)).toBe(3);
    expect(minReservedPodsOf(2, 3)).toBe(2);
  });
});
