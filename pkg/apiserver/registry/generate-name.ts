import { randomInt } from 'node:crypto';

// The alphabet and length Kubernetes uses (k8s.io/apiserver/pkg/storage/names): no vowels and no
// easily confused characters, so generated names never spell words.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const randomLength = 5;
const maxNameLength = 63;
const maxGeneratedNameLength = maxNameLength - randomLength;

export function generateName(base: string): string {
  const prefix = base.length > maxGeneratedNameLength ? base.slice(0, maxGeneratedNameLength) : base;
  let suffix = '';
  for (let i = 0; i < randomLength; i++) suffix += alphabet[randomInt(alphabet.length)];
  return prefix + suffix;
}
