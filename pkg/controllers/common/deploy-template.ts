import type { AppImage, DeployTemplate } from '../../crd/index.ts';

export class DeployTemplateNotFoundError extends Error {
  readonly role: string;
  constructor(appImage: string, role: string) {
    super(`not found deploy template for role ${role} in AppImage ${appImage}`);
    this.name = 'DeployTemplateNotFoundError';
    this.role = role;
  }
}

/**
 * Kuscia's AppImage template selection (pkg/utils/resources/appimage.go): the first template whose
 * comma-separated role list names the party's role; else a template without a role; else, when the
 * party has no role, the first template. Both the job controller (to split party resources) and the
 * task controller (to build pods) must pick the same one.
 */
export function selectDeployTemplate(appImage: AppImage, role: string | undefined): DeployTemplate {
  const templates = appImage.spec.deployTemplates ?? [];
  const wanted = (role ?? '').trim();
  if (wanted !== '') {
    const byRole = templates.find((t) => (t.role ?? '').split(',').some((r) => r.trim() === wanted));
    if (byRole) return byRole;
  }
  const roleless = templates.find((t) => (t.role ?? '').trim() === '');
  if (roleless) return roleless;
  if (wanted === '' && templates.length > 0) return templates[0]!;
  throw new DeployTemplateNotFoundError(appImage.metadata.name ?? '', wanted);
}
