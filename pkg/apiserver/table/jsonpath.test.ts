import { describe, expect, it } from 'vitest';
import { compileJsonPath, JsonPathError } from './jsonpath.ts';

const obj = {
  metadata: { name: 'job-1', labels: { 'app.kubernetes.io/name': 'kuscia', tier: 'x' } },
  spec: { tasks: [{ alias: 'a', cores: 1 }, { alias: 'b', cores: 4 }, { alias: 'c' }], parties: ['alice', 'bob'] },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'Waiting' },
    ],
  },
};

const evalPath = (p: string) => compileJsonPath(p).evaluate(obj);

describe('compileJsonPath', () => {
  it.each<[string, unknown[]]>([
    ['.status.phase', ['Running']],
    ['{.status.phase}', ['Running']],
    ['$.status.phase', ['Running']],
    ['.spec.tasks[0].alias', ['a']],
    ['.spec.tasks[-1].alias', ['c']],
    ['.spec.tasks[*].alias', ['a', 'b', 'c']],
    ['.spec.tasks[0:2].alias', ['a', 'b']],
    ['.spec.tasks[0,2].alias', ['a', 'c']],
    ['.spec.parties[*]', ['alice', 'bob']],
    ['.status.conditions[?(@.type=="Ready")].status', ['False']],
    [".status.conditions[?(@.type == 'Ready')].reason", ['Waiting']],
    ['.status.conditions[?(@.type!="Ready")].type', ['PodScheduled']],
    ['.spec.tasks[?(@.cores > 1)].alias', ['b']],
    ['.spec.tasks[?(@.cores)].alias', ['a', 'b']],
    [".metadata.labels['app.kubernetes.io/name']", ['kuscia']],
    ['.metadata.labels.app\\.kubernetes\\.io/name', ['kuscia']],
    ['..alias', ['a', 'b', 'c']],
    ['.metadata.labels.*', ['kuscia', 'x']],
  ])('%s', (path, expected) => {
    expect(evalPath(path)).toEqual(expected);
  });

  it('yields nothing for missing keys and out-of-range indices', () => {
    expect(evalPath('.status.missing.deeper')).toEqual([]);
    expect(evalPath('.spec.tasks[7].alias')).toEqual([]);
    expect(evalPath('.status.conditions[?(@.type=="Nope")].status')).toEqual([]);
  });

  it('fails comparisons between different types, like text/template', () => {
    expect(() => evalPath('.spec.tasks[?(@.cores == "4")].alias')).toThrow(JsonPathError);
  });

  it('rejects malformed paths at compile time', () => {
    expect(() => compileJsonPath('.spec.tasks[0')).toThrow(JsonPathError);
    expect(() => compileJsonPath('.spec.tasks[x]')).toThrow(JsonPathError);
  });
});
