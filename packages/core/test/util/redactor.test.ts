import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/util/redactor.js';

describe('Redactor', () => {
  it('replaces every registered secret wherever it appears, also URL-encoded', () => {
    const redactor = new Redactor();
    redactor.add('123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11');
    redactor.add('https://discord.com/api/webhooks/1/tok+en/x');
    const text =
      'POST https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage failed; ' +
      'url=https%3A%2F%2Fdiscord.com%2Fapi%2Fwebhooks%2F1%2Ftok%2Ben%2Fx';
    const out = redactor.redact(text);
    expect(out).not.toContain('ABC-DEF1234');
    expect(out).not.toContain('tok%2Ben');
    expect(out).toBe('POST https://api.telegram.org/bot[redacted]/sendMessage failed; url=[redacted]');
  });

  it('ignores empty and very short values, which would redact ordinary words', () => {
    const redactor = new Redactor();
    redactor.add('');
    redactor.add(undefined);
    redactor.add('abc');
    expect(redactor.redact('abc def')).toBe('abc def');
  });

  it('treats regular-expression characters in secrets literally', () => {
    const redactor = new Redactor();
    redactor.add('a.b*c+d?(e)');
    expect(redactor.redact('x a.b*c+d?(e) y aXbbc')).toBe('x [redacted] y aXbbc');
  });
});
