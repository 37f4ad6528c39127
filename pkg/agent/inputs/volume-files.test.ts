import { describe, expect, it } from 'vitest';
import { volumeContent, type VolumeContext } from './volume-files.ts';

const bytes = Buffer.from([0x30, 0x82, 0xff, 0x00, 0xfe]);

const ctx: VolumeContext = {
  pod: { metadata: { name: 'p', namespace: 'alice' } },
  addresses: { podIP: '127.0.0.1', hostIP: '127.0.0.1' } as VolumeContext['addresses'],
  allocatable: {},
  source: {
    configMap: async (name) => (name === 'cfg' ? { metadata: { name }, data: { 'a.txt': 'text' }, binaryData: { 'b.bin': bytes.toString('base64') } } : undefined),
    secret: async (name) => (name === 'keys' ? { metadata: { name }, data: { 'key.der': bytes.toString('base64') } } : undefined),
  },
};

describe('volumeContent', () => {
  it('writes a Secret key that is not text byte for byte', async () => {
    const content = await volumeContent({ name: 'v', secret: { secretName: 'keys' } }, ctx);
    expect(content?.files).toEqual([{ path: 'key.der', content: bytes, mode: 0o644 }]);
  });

  it('writes ConfigMap data as text and binaryData as bytes', async () => {
    const content = await volumeContent({ name: 'v', configMap: { name: 'cfg' } }, ctx);
    expect(content?.files).toEqual([
      { path: 'a.txt', content: 'text', mode: 0o644 },
      { path: 'b.bin', content: bytes, mode: 0o644 },
    ]);
  });

  it('gives an empty volume for a missing optional source and fails for a required one', async () => {
    expect((await volumeContent({ name: 'v', secret: { secretName: 'absent', optional: true } }, ctx))?.files).toEqual([]);
    await expect(volumeContent({ name: 'v', secret: { secretName: 'absent' } }, ctx)).rejects.toThrow(/secret "absent" not found/);
  });
});
