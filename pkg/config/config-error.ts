/**
 * A kuscia.yaml problem, rendered as the one line `kuscia start` prints before exiting 1:
 * `<file>: <field>: <what is wrong>` (the field as written in kuscia.yaml, dotted for nesting).
 */
export class ConfigError extends Error {
  readonly field: string;
  readonly problem: string;
  readonly file: string;

  constructor(file: string, field: string, problem: string) {
    super(field === '' ? `${file}: ${problem}` : `${file}: ${field}: ${problem}`);
    this.name = 'ConfigError';
    this.file = file;
    this.field = field;
    this.problem = problem;
  }
}
