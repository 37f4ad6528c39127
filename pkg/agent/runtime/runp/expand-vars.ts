/**
 * `$(VAR)` expansion in a container's command and args, with the kubelet's rules
 * (third_party/forked/golang/expansion): a defined variable is replaced, an undefined reference
 * stays as written, `$$` is an escaped `$`, any other `$` is literal.
 */
export function expandVars(input: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += Object.hasOwn(env, name) ? env[name] : `$(${name})`;
      i = close;
    } else out += ch;
  }
  return out;
}
