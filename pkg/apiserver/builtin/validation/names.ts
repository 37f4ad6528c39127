/**
 * String-format checks in the style of k8s.io/apimachinery/pkg/util/validation: each returns the
 * list of problems (empty when valid), worded exactly like Kubernetes, so they can be joined into a
 * FieldError detail the way kube-apiserver does (`strings.Join(errs, ", ")`). The generic name
 * checks live in pkg/apiserver/validation; these are the ones only built-in kinds need.
 */
import { maxLenError, regexError } from '../../validation/name-validators.ts';

export { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../validation/name-validators.ts';

const configKeyFmt = '[-._a-zA-Z0-9]+';

/** ConfigMap and Secret keys. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${configKeyFmt}$`).test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Environment variable names (RelaxedEnvironmentVariableValidation, on by default since 1.32). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!value) errs.push('environment variable name must not be empty');
  if (!/^[ -<>-~]*$/.test(value)) errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  return errs;
}

/** Named ports (IANA_SVC_NAME). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}
