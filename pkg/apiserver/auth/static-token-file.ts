import { readFile } from 'node:fs/promises';
import type { UserInfo } from './user-info.ts';

/** A token file that cannot be used; the message names the file and the line. */
export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

/** What the file says about its lines besides the users (kube-apiserver logs the same warnings). */
export interface StaticTokens {
  users: Map<string, UserInfo>;
  warnings: string[];
}

/**
 * kube-apiserver's --token-auth-file: a CSV file with one `token,user,uid[,"group1,group2"]` per
 * line. A line with fewer than three columns makes the whole file unusable (the server refuses
 * to start); an empty token is skipped and a repeated one replaces the earlier line, each with a
 * warning, as Kubernetes does.
 */
export async function loadStaticTokenFile(path: string): Promise<StaticTokens> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new TokenFileError(`cannot read token file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseStaticTokens(text, path);
}

export function parseStaticTokens(text: string, path: string): StaticTokens {
  const users = new Map<string, UserInfo>();
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    if (lines[i].trim() === '') continue;
    const record = parseCsvLine(lines[i], path, lineNo);
    if (record.length < 3) {
      throw new TokenFileError(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length} on line ${lineNo}`);
    }
    const [token, username, uid] = record;
    if (token === '') {
      warnings.push(`empty token has been found in token file '${path}', line ${lineNo}`);
      continue;
    }
    // Like Kubernetes, a repeated token is reported and the later line wins.
    if (users.has(token)) warnings.push(`duplicate token has been found in token file '${path}', line ${lineNo}`);
    const groups = record.length > 3 && record[3] !== '' ? record[3].split(',') : [];
    const user: UserInfo = { username, groups };
    if (uid) user.uid = uid;
    users.set(token, user);
  }
  return { users, warnings };
}

/** One CSV record (RFC 4180: quoted fields may contain commas, `""` is a quote). */
function parseCsvLine(line: string, path: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new TokenFileError(`token file '${path}', line ${lineNo}: unterminated quoted field`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new TokenFileError(`token file '${path}', line ${lineNo}: extraneous " in field`);
    } else {
      const end = line.indexOf(',', i);
      field = end < 0 ? line.slice(i) : line.slice(i, end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}
