import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { PROTO_FILES } from './proto-files.ts';

/**
 * Parses the vendored generated.proto files into one protobufjs Root. All files go into the same
 * Root explicitly (protobufjs does not follow `import` when parsing text), then references are
 * resolved once. `keepCase` matters: Kubernetes field names are the JSON names and must not be
 * re-cased (`jSONSchemas`, `Raw`).
 */
export function loadKubernetesSchemas(readProto: (path: string) => string = readVendoredProto): protobuf.Root {
  const root = new protobuf.Root();
  for (const path of PROTO_FILES) {
    protobuf.parse(readProto(path), root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

function readVendoredProto(path: string): string {
  return readFileSync(new URL(`./proto/${path}`, import.meta.url), 'utf8');
}

let cached: protobuf.Root | undefined;

/**
 * The schemas, parsed on first use. This is the one module-level cache in the package: the Root is
 * immutable data derived from files shipped with the code, and parsing ~100 kB of .proto on every
 * request (or at start-up for servers that never see protobuf) would be wasted work.
 */
export function kubernetesSchemas(): protobuf.Root {
  cached ??= loadKubernetesSchemas();
  return cached;
}
