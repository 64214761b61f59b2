import { describe, expect, it } from 'vitest';
import discord, { parseWebhookUrl } from '../src/index.js';

const issuesOf = (input: Record<string, unknown>) => {
  const result = discord.options.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('options', () => {
  it.each([
    'https://discord.com/api/webhooks/1234567890/AbC-dEf_123',
    'https://discordapp.com/api/webhooks/1234567890/AbC-dEf_123',
    'https://canary.discord.com/api/webhooks/1234567890/AbC-dEf_123',
    'https://discord.com/api/v10/webhooks/1234567890/AbC-dEf_123/',
    'http://127.0.0.1:4567/api/webhooks/1/token12',
    'http://localhost:4567/api/v10/webhooks/1/token12',
  ])('accepts %s', (webhookUrl) => {
    expect(issuesOf({ webhookUrl })).toEqual([]);
  });

  it.each([
    ['not a URL', 'hello'],
    ['a channel link', 'https://discord.com/channels/123/456'],
    ['a URL with a query', 'https://discord.com/api/webhooks/123/secret-token-xyz?thread_id=5'],
    ['plain http to a remote host', 'http://discord.com/api/webhooks/123/secret-token-xyz'],
    ['a URL without its token', 'https://discord.com/api/webhooks/123'],
    ['a Slack-compatible URL', 'https://discord.com/api/webhooks/123/secret-token-xyz/slack'],
  ])('refuses %s with a clear message that does not repeat the URL', (_, webhookUrl) => {
    const issues = issuesOf({ webhookUrl });
    expect(issues).toEqual([
      'webhookUrl: must be a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token>, copied whole from Server Settings → Integrations → Webhooks → Copy Webhook URL (no ?query: give a thread with `threadId`; plain http:// only for localhost)',
    ]);
    expect(issues.join()).not.toContain('secret-token-xyz');
  });

  it('checks threadId, username and avatarUrl', () => {
    const webhookUrl = 'https://discord.com/api/webhooks/1/token12';
    expect(issuesOf({ webhookUrl, threadId: '1234567890123456789', username: 'Liquidations', avatarUrl: 'https://example.com/a.png' })).toEqual([]);
    expect(issuesOf({ webhookUrl, threadId: 'general' })[0]).toMatch(/^threadId: must be a thread id: digits only/);
    expect(issuesOf({ webhookUrl, username: 'x'.repeat(81) })[0]).toMatch(/^username:/);
    expect(issuesOf({ webhookUrl, avatarUrl: 'ftp://x/a.png' })[0]).toBe('avatarUrl: expected an http:// or https:// URL of an image');
    expect(issuesOf({})[0]).toMatch(/^webhookUrl:/);
  });

  it('declares the webhook URL a secret', () => {
    expect(discord.secrets).toEqual(['webhookUrl']);
    expect(discord.name).toBe('discord');
  });

  it('takes the URL apart: id, token and API version', () => {
    expect(parseWebhookUrl('https://discord.com/api/webhooks/123/tok-en_1/')).toEqual({ url: 'https://discord.com/api/webhooks/123/tok-en_1', id: '123', token: 'tok-en_1', version: undefined });
    expect(parseWebhookUrl('https://discord.com/api/v10/webhooks/123/tok').version).toBe(10);
    expect(() => parseWebhookUrl('https://x/api/webhooks/1/secret-tok?x=1')).toThrow(/^webhookUrl must be a Discord webhook URL/);
  });
});
