import { describe, expect, it } from 'vitest';
import type { AppImage, DeployTemplate } from '../../crd/index.ts';
import { DeployTemplateNotFoundError, selectDeployTemplate } from './deploy-template.ts';

const tpl = (name: string, role?: string): DeployTemplate => ({ name, role, spec: { containers: [] } });
const image = (...templates: DeployTemplate[]): AppImage => ({
  metadata: { name: 'secretflow' },
  spec: { image: { name: 'sf', tag: '1' }, deployTemplates: templates },
});

describe('selectDeployTemplate', () => {
  it('picks the first template whose role list names the role', () => {
    expect(selectDeployTemplate(image(tpl('a', 'client'), tpl('b', 'guest, host'), tpl('c', 'host')), 'host').name).toBe('b');
  });
  it('falls back to a template without a role', () => {
    expect(selectDeployTemplate(image(tpl('a', 'client'), tpl('any')), 'host').name).toBe('any');
  });
  it('takes the first template when the party has no role', () => {
    expect(selectDeployTemplate(image(tpl('a', 'client'), tpl('b', 'host')), '').name).toBe('a');
    expect(selectDeployTemplate(image(tpl('a', 'client')), undefined).name).toBe('a');
  });
  it('fails with the role named when nothing matches', () => {
    expect(() => selectDeployTemplate(image(tpl('a', 'client')), 'server')).toThrow(DeployTemplateNotFoundError);
    expect(() => selectDeployTemplate(image(tpl('a', 'client')), 'server')).toThrow('not found deploy template for role server');
    expect(() => selectDeployTemplate(image(), '')).toThrow(DeployTemplateNotFoundError);
  });
});
