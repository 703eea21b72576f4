import { describe, expect, it } from 'vitest';
import { contactUrlBaseProblem, newContactUrl } from '../../src/accounts/contact-url.js';

describe('R11 R48: contactUrlBase', () => {
  it('R48: absolute https or http URLs ending in "/", "=" or "#" are accepted, and used as given', () => {
    for (const base of [
      'https://talk.example.com/add/',
      'http://localhost:8080/add/',
      'https://talk.example.com/add?token=',
      'https://talk.example.com/add#',
      'https://상담.example/add/',
      `https://talk.example.com/${'a'.repeat(200 - 'https://talk.example.com//'.length)}/`,
    ]) {
      expect(contactUrlBaseProblem(base), base).toBeNull();
      expect(newContactUrl(base).startsWith(base)).toBe(true);
    }
  });

  it('R48: anything else is refused with a reason', () => {
    const cases: [unknown, RegExp][] = [
      [42, /must be a string, got number/],
      [null, /must be a string, got null/],
      ['talk.example.com/add/', /absolute http\(s\) URL/],
      ['/add/', /absolute http\(s\) URL/],
      ['ftp://talk.example.com/add/', /must use https \(or http\), got ftp:/],
      ['javascript:alert(1)//', /must use https/],
      ['https:talk.example.com/add/', /with a host/],
      ['https://user:secret@talk.example.com/add/', /user name or password/],
      ['https://user@talk.example.com/add/', /user name or password/],
      [' https://talk.example.com/add/', /white space or invisible characters \(U\+0020 at position 0\)/],
      ['\nhttps://talk.example.com/add/', /U\+000A at position 0/],
      ['https://talk.example.com/add/\t', /U\+0009/],
      ['https://talk.example.com/a dd/', /U\+0020 at position 26/],
      ['https://talk.example.com/add/\u200B', /U\+200B/],
      ['https://talk.example.com/add/\u3000', /U\+3000/],
      ['https://talk.example.com/add', /must end in "\/", "=" or "#"/],
      ['https://talk.example.com/add?x=1', /must end in/],
      [`https://talk.example.com/${'a'.repeat(200)}/`, /at most 200 characters, got 226/],
      ['https://talk.example.com/\ud800/', /lone surrogate/],
    ];
    for (const [base, reason] of cases) expect(contactUrlBaseProblem(base), JSON.stringify(base)).toMatch(reason);
  });

  it('R48: a hostile value never throws', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const base of [proxy, { toString: () => { throw new Error('boom'); } }, Symbol('x'), 10n, undefined]) {
      expect(contactUrlBaseProblem(base)).toMatch(/must be a string/);
    }
  });
});
