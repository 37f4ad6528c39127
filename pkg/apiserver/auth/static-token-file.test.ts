import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer-token.ts';
import { parseStaticTokens, TokenFileError } from './static-token-file.ts';

describe('static token file', () => {
  it('reads token,user,uid and quoted comma-separated groups', () => {
    const { users, warnings } = parseStaticTokens('t1,alice,uid-a,"dev,ops"\n\nt2,bob,uid-b\n,empty,u\nt1,alice2,uid-c\n', 'tokens.csv');
    expect(users.get('t1')).toEqual({ username: 'alice2', uid: 'uid-c', groups: [] });
    expect(users.get('t2')).toEqual({ username: 'bob', uid: 'uid-b', groups: [] });
    expect(parseStaticTokens('t1,alice,uid-a,"dev,ops"', 'f').users.get('t1')!.groups).toEqual(['dev', 'ops']);
    expect(warnings).toEqual(["empty token has been found in token file 'tokens.csv', line 4", "duplicate token has been found in token file 'tokens.csv', line 5"]);
  });

  it('refuses a file with a line of fewer than three columns', () => {
    expect(() => parseStaticTokens('t1,alice,uid\nt2,bob\n', '/etc/tokens.csv')).toThrow(TokenFileError);
    expect(() => parseStaticTokens('t2,bob\n', '/etc/tokens.csv')).toThrow(
      "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2 on line 1",
    );
    expect(() => parseStaticTokens('t,"unterminated,u\n', 'f')).toThrow(/unterminated quoted field/);
  });
});

describe('bearerToken', () => {
  it('reads the Bearer scheme case-insensitively and ignores others', () => {
    expect(bearerToken({ authorization: 'Bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'bearer abc extra' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer  x' })).toBe('');
    expect(bearerToken({})).toBeUndefined();
  });
});
