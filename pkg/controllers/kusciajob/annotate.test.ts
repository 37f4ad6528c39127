import { describe, expect, it } from 'vitest';
import { Annotations, Labels, type KusciaJob } from '../../crd/index.ts';
import type { Namespace } from '../../kube/wire.ts';
import { interConnMetadata, isAnnotated, MixedInterConnProtocolsError } from './annotate.ts';
import { NamespaceNotFoundError, type NamespaceView } from './namespaces.ts';

function view(namespaces: Record<string, Record<string, string>>): NamespaceView {
  return {
    get: async (name) => (Object.hasOwn(namespaces, name) ? ({ metadata: { name, labels: namespaces[name] } } as Namespace) : undefined),
  };
}
const partner = { [Labels.DomainRole]: 'partner' };
const bfiaPartner = { [Labels.DomainRole]: 'partner', [Labels.InterConnProtocols]: 'bfia' };

function job(initiator: string, domains: string[], annotations: Record<string, string> = {}): KusciaJob {
  return {
    metadata: { name: 'j', annotations },
    spec: { initiator, tasks: [{ alias: 'a', appImage: 'img', taskInputConfig: '', parties: domains.map((domainID) => ({ domainID })) }] },
  };
}

describe('interConnMetadata', () => {
  it('an initiator with only own domains lists them as self parties', async () => {
    expect(await interConnMetadata(job('alice', ['alice', 'bob']), view({ alice: {}, bob: {} }))).toEqual({
      annotations: {
        [Annotations.SelfClusterAsInitiator]: 'true',
        [Annotations.Initiator]: 'alice',
        [Annotations.InterConnSelfParties]: 'alice_bob',
      },
    });
  });

  it('the initiator lists Kuscia and BFIA partners; BFIA also labels the protocol', async () => {
    const kuscia = await interConnMetadata(job('alice', ['alice', 'carol', 'dave']), view({ alice: {}, carol: partner, dave: partner }));
    expect(kuscia.annotations[Annotations.InterConnKusciaParties]).toBe('carol_dave');
    expect(kuscia.labels).toBeUndefined();
    const bfia = await interConnMetadata(job('alice', ['alice', 'erin']), view({ alice: {}, erin: bfiaPartner }));
    expect(bfia).toMatchObject({ annotations: { [Annotations.InterConnBFIAParties]: 'erin' }, labels: { [Labels.InterConnProtocolType]: 'bfia' } });
  });

  it('a partner-initiated job is not ours to schedule and does not list partners', async () => {
    const metadata = await interConnMetadata(job('carol', ['carol', 'alice']), view({ alice: {}, carol: partner }));
    expect(metadata).toEqual({ annotations: { [Annotations.SelfClusterAsInitiator]: 'false', [Annotations.InterConnSelfParties]: 'alice' } });
  });

  it('refuses missing namespaces and mixed protocols', async () => {
    await expect(interConnMetadata(job('alice', ['alice', 'zed']), view({ alice: {} }))).rejects.toThrow(new NamespaceNotFoundError('zed'));
    await expect(interConnMetadata(job('alice', ['carol', 'erin']), view({ alice: {}, carol: partner, erin: bfiaPartner }))).rejects.toBeInstanceOf(
      MixedInterConnProtocolsError,
    );
  });
});

describe('isAnnotated', () => {
  it('is decided by the self-parties annotation, or by self-cluster-as-initiator when no party is ours', () => {
    expect(isAnnotated(job('alice', ['alice']), ['alice'])).toBe(false);
    expect(isAnnotated(job('alice', ['alice'], { [Annotations.InterConnSelfParties]: 'alice' }), ['alice'])).toBe(true);
    expect(isAnnotated(job('alice', ['alice'], { [Annotations.SelfClusterAsInitiator]: 'true' }), ['alice'])).toBe(false);
    expect(isAnnotated(job('alice', ['carol'], { [Annotations.SelfClusterAsInitiator]: 'true' }), [])).toBe(true);
  });
});
