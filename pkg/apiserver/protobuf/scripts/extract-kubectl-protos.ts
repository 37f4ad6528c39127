/**
 * Regenerates the vendored `proto/**\/generated.proto` schemas from a kubectl binary.
 *
 * Why from the binary and not from the published generated.proto text: the published files have
 * go-to-protobuf's gogoproto options stripped, and those options carry the one fact the JSON
 * conversion needs that the text lacks — whether a Go field is a pointer (`nullable`). gogo always
 * writes non-pointer fields (so an empty `uid` is on the wire as ""), but writes pointer fields only
 * when set (so `replicas: 0` on the wire is meaningful). Every gogo-generated Go package registers
 * its gzipped FileDescriptorProto (with those options), so kubectl carries exactly the schemas it
 * encodes with.
 *
 * Usage: node pkg/apiserver/protobuf/scripts/extract-kubectl-protos.ts /path/to/kubectl
 * (apiextensions is not linked into kubectl; its file is maintained by hand, see its header.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { VENDORED_FROM_KUBECTL } from '../proto-files.ts';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof import('protobufjs');
// The descriptor extension is CommonJS that augments protobufjs; only its two reflected types are used.
const descriptor = require('protobufjs/ext/descriptor/index.js') as { FieldOptions: protobuf.Type; FileDescriptorProto: protobuf.Type };

interface FieldOptions { nullable?: boolean }
// gogoproto.nullable; the only gogo option the converter needs.
descriptor.FieldOptions.add(new protobuf.Field('nullable', 65001, 'bool'));

const SCALARS: Record<number, string> = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string',
  12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};
const TYPE_MESSAGE = 11;
const LABEL_REPEATED = 3;

const LICENSE = `/*
Copyright The Kubernetes Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- descriptor messages are walked structurally
type FileDescriptor = Record<string, any>;

function findDescriptors(binary: Buffer): Map<string, FileDescriptor> {
  const files = new Map<string, FileDescriptor>();
  for (let i = binary.indexOf(0x1f); i !== -1 && i < binary.length - 3; i = binary.indexOf(0x1f, i + 1)) {
    if (binary[i + 1] !== 0x8b || binary[i + 2] !== 0x08) continue;
    try {
      const raw = gunzipSync(binary.subarray(i, i + 4_000_000), { finishFlush: 2 });
      const file = descriptor.FileDescriptorProto.decode(raw) as unknown as FileDescriptor;
      if (typeof file.name === 'string' && file.name.startsWith('k8s.io/')) files.set(file.name, file);
    } catch {
      // Not a gzip stream, or not a descriptor: keep scanning.
    }
  }
  return files;
}

function typeRef(typeName: string, ownPackage: string): string {
  const name = typeName.replace(/^\./, '');
  return name.startsWith(`${ownPackage}.`) && !name.slice(ownPackage.length + 1).includes('.')
    ? name.slice(ownPackage.length + 1)
    : name;
}

function renderFile(file: FileDescriptor, source: string): string {
  const pkg: string = file.package;
  const lines: string[] = [LICENSE, ''];
  lines.push(`// Reduced from the FileDescriptorProto that ${source} registers for ${file.name}:`);
  lines.push('// every message, field name and field number is kept; comments are dropped, and the gogoproto');
  lines.push('// option `nullable` (false = non-pointer Go field, always on the wire) is kept because the JSON');
  lines.push('// conversion depends on it. Regenerate with scripts/extract-kubectl-protos.ts.');
  lines.push('', 'syntax = "proto2";', '', `package ${pkg};`, '');
  for (const dep of file.dependency as string[]) {
    if (!dep.startsWith('github.com/gogo/')) lines.push(`import "${dep}";`);
  }
  lines.push('');
  for (const message of file.messageType) {
    const mapEntries = new Map<string, any>();
    for (const nested of message.nestedType ?? []) {
      if (!nested.options?.mapEntry) throw new Error(`unexpected nested message ${message.name}.${nested.name}`);
      mapEntries.set(`.${pkg}.${message.name}.${nested.name}`, nested);
    }
    lines.push(`message ${message.name} {`);
    for (const field of message.field) {
      const options = descriptor.FieldOptions.toObject(field.options ?? {}) as FieldOptions;
      const suffix = options.nullable === false ? ' [(gogoproto.nullable) = false]' : '';
      const entry = field.typeName ? mapEntries.get(field.typeName) : undefined;
      let decl: string;
      if (entry) {
        const [key, value] = entry.field;
        const valueType = value.type === TYPE_MESSAGE ? typeRef(value.typeName, pkg) : SCALARS[value.type];
        decl = `map<${SCALARS[key.type]}, ${valueType}>`;
      } else {
        const label = field.label === LABEL_REPEATED ? 'repeated' : 'optional';
        const type = field.type === TYPE_MESSAGE ? typeRef(field.typeName, pkg) : SCALARS[field.type];
        if (!type) throw new Error(`unsupported field type ${field.type} in ${message.name}.${field.name}`);
        decl = `${label} ${type}`;
      }
      lines.push(`  ${decl} ${field.name} = ${field.number}${suffix};`);
    }
    lines.push('}', '');
  }
  return lines.join('\n');
}

function main(): void {
  const binaryPath = process.argv[2];
  if (!binaryPath) throw new Error('usage: extract-kubectl-protos.ts /path/to/kubectl');
  const files = findDescriptors(readFileSync(binaryPath));
  const outDir = join(import.meta.dirname, '..', 'proto');
  for (const name of VENDORED_FROM_KUBECTL) {
    const file = files.get(name);
    if (!file) throw new Error(`${binaryPath} does not register ${name}`);
    const target = join(outDir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, renderFile(file, 'kubectl'));
    process.stdout.write(`wrote ${target}\n`);
  }
}

main();
