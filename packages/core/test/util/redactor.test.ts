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

describe('Redactor: gaps found by an audit', () => {
  const token = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
  const webhook = 'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

  it('redacts a secret echoed in another letter case, also URL-encoded', () => {
    const redactor = new Redactor();
    redactor.add(webhook);
    expect(redactor.redact(`400 Bad Request: unknown webhook ${webhook.toUpperCase()}`)).toBe('400 Bad Request: unknown webhook [redacted]');
    expect(redactor.redact(`url=${encodeURIComponent(webhook).toLowerCase()}`)).toBe('url=[redacted]');
  });

  it('redacts the JSON-escaped form, as a secret appears inside a log line', () => {
    const redactor = new Redactor();
    redactor.add('pa"ss\\word-123');
    expect(redactor.redact(JSON.stringify({ msg: 'login pa"ss\\word-123 failed' }))).toBe('{"msg":"login [redacted] failed"}');
  });

  it('cut() redacts before cutting: no piece of a secret survives the cut', () => {
    const redactor = new Redactor();
    redactor.add(token);
    const text = `the text "${token}" is not a chat id`;
    // Cutting first would leave the first 28 characters of the token; redacting first leaves none.
    for (let max = 5; max <= text.length; max++) {
      const shown = redactor.cut(text, max);
      expect(shown.length).toBeLessThanOrEqual(max);
      expect(shown).not.toContain('ABC-DEF1234');
      expect(shown).not.toContain('123456:ABC');
    }
    expect(redactor.cut(text, 24)).toBe('the text "[redacted]" i…');
  });

  it('redacts the start of a secret cut by code that forgot to redact first (before …, ... or the end)', () => {
    const redactor = new Redactor();
    redactor.add(token);
    redactor.add(webhook);
    expect(redactor.redact(`the text "${token.slice(0, 37)}..."`)).toBe('the text "[redacted]..."');
    expect(redactor.redact(`echo: ${webhook.slice(0, 80)}…`)).toBe('echo: [redacted]…');
    expect(redactor.redact(`echo: ${webhook.toUpperCase().slice(0, 70)}`)).toBe('echo: [redacted]');
    // The public start of a webhook URL in a hint is not a secret.
    expect(redactor.redact('expected https://discord.com/api/webhooks/...')).toBe('expected https://discord.com/api/webhooks/...');
  });

  it('stays fast on hostile text full of cut marks', () => {
    const redactor = new Redactor();
    redactor.add(token);
    redactor.add(webhook);
    const text = `${'ab...'.repeat(50_000)}${token.slice(0, 30)}`;
    expect(redactor.redact(text).endsWith('ab...[redacted]')).toBe(true);
  });
});
