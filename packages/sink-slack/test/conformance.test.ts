/** The Slack sink passes core's sink check against a fake receiver answering like Slack. */
import { checkSink, formatSinkReport, HOSTILE_TEXT, type ReceivedRequest } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import slack, { SLACK_LIMITS, type SlackMessage } from '../src/index.js';

/** Slack's reasons per status (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks). */
const REASONS: Record<number, string> = { 400: 'user_not_found', 403: 'action_prohibited', 404: 'no_service', 410: 'channel_is_archived', 429: 'rate_limited', 500: 'rollup_error' };

/** Block Kit limits, and no live mention or link from the hostile symbol. */
function inspect(request: ReceivedRequest): string[] {
  const message = JSON.parse(request.body) as SlackMessage;
  const problems: string[] = [];
  if (message.blocks.length > SLACK_LIMITS.blocks) problems.push(`${message.blocks.length} blocks`);
  const texts = [message.text, ...message.blocks.flatMap((b) => ('text' in b && b.text ? [b.text.text] : []).concat('fields' in b && b.fields ? b.fields.map((f) => f.text) : []).concat('elements' in b ? b.elements.map((e) => e.text) : []))];
  for (const text of texts) if ([...text].length > SLACK_LIMITS.sectionText) problems.push(`a text of ${[...text].length} characters`);
  // Header blocks are plain_text, which Slack never parses; every other text is mrkdwn.
  const mrkdwn = JSON.stringify([message.text, ...message.blocks.filter((b) => b.type !== 'header')]);
  if (mrkdwn.includes('<!channel>') || mrkdwn.includes('<@U123>') || mrkdwn.includes(HOSTILE_TEXT.slice(0, 3))) problems.push('unescaped mrkdwn from the symbol');
  return problems;
}

it('passes the sink check', async () => {
  const report = await checkSink({
    definition: slack,
    options: (receiver) => ({ webhookUrl: `${receiver.url}/services/T000/B000/s3cretToken`, minInterval: '0ms' }),
    replies: { ok: { body: 'ok' }, failure: (status) => ({ body: REASONS[status] ?? 'error' }) },
    fatalStatuses: [400, 403, 404, 410],
    retryableStatuses: [500, 502, 503],
    inspect,
  });
  expect(report.ok, formatSinkReport(report)).toBe(true);
});
