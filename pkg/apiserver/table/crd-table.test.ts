import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.ts';
import { crdTableConvertor } from './crd-table.ts';

const now = new Date('2024-01-03T00:00:00Z');

const job: KubeObject = {
  apiVersion: 'kuscia.secretflow/v1alpha1',
  kind: 'KusciaJob',
  metadata: { name: 'job-1', namespace: 'cross-domain', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { maxParallelism: 2, scheduleMode: 'Strict', priority: 1.5, tasks: [{ alias: 'a' }, { alias: 'b' }] },
  status: {
    phase: 'Running',
    startTime: '2024-01-02T23:59:00Z',
    conditions: [{ type: 'Ready', status: 'True' }],
  },
};

describe('crdTableConvertor', () => {
  const convertor = crdTableConvertor([
    { name: 'StartTime', type: 'date', jsonPath: '.status.startTime' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'The job phase' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'MaxParallelism', type: 'integer', jsonPath: '.spec.maxParallelism' },
    { name: 'Priority', type: 'number', jsonPath: '.spec.priority' },
    { name: 'Tasks', type: 'string', jsonPath: '.spec.tasks[*].alias' },
    { name: 'Mode', type: 'string', jsonPath: '.spec.scheduleMode', priority: 1 },
    { name: 'Missing', type: 'string', jsonPath: '.status.nope' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ]);

  it('puts Name first and keeps declared types, formats, priorities', () => {
    expect(convertor.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['StartTime', 'date', '', 0],
      ['Phase', 'string', '', 0],
      ['Ready', 'string', '', 0],
      ['MaxParallelism', 'integer', '', 0],
      ['Priority', 'number', '', 0],
      ['Tasks', 'string', '', 0],
      ['Mode', 'string', '', 1],
      ['Missing', 'string', '', 0],
      ['Age', 'date', '', 0],
    ]);
    expect(convertor.columns[2].description).toBe('The job phase');
    expect(convertor.columns[3].description).toBe('Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status');
  });

  it('renders cells: ages for dates, first match only, null for missing', () => {
    expect(convertor.cells(job, now)).toEqual(['job-1', '60s', 'Running', 'True', 2, 1.5, 'a', 'Strict', null, '2d']);
  });

  it('renders non-scalar values of string columns as JSON and bad dates as <invalid>', () => {
    const c = crdTableConvertor([
      { name: 'Tasks', type: 'string', jsonPath: '.spec.tasks' },
      { name: 'When', type: 'date', jsonPath: '.spec.scheduleMode' },
      { name: 'Count', type: 'integer', jsonPath: '.spec.scheduleMode' },
    ]);
    expect(c.cells(job, now)).toEqual(['job-1', '[{"alias":"a"},{"alias":"b"}]', '<invalid>', null]);
  });

  it('serves Name + Age when the CRD declares no columns', () => {
    const c = crdTableConvertor([]);
    expect(c.columns.map((col) => [col.name, col.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(c.cells(job, now)).toEqual(['job-1', '2d']);
  });
});
