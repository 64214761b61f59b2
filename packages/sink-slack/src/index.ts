/**
 * @liqmon/sink-slack: liqmon alerts in a Slack channel, as Block Kit messages through an incoming
 * webhook. Load it with `use: slack` (a built-in alias) and give it `webhookUrl`. See README.md.
 */
import { defineSink } from '@liqmon/core';
import { slackOptions } from './options.js';
import { createSlackSink } from './sink.js';

export default defineSink({
  name: 'slack',
  description: 'Slack incoming webhook: alerts as Block Kit messages, one per second',
  options: slackOptions,
  secrets: ['webhookUrl'],
  create: (options, context) => createSlackSink(options, context),
});

export { SLACK_WEBHOOK_URL_RE, slackOptions, type SlackOptions, type SlackOptionsInput } from './options.js';
export { clipSlack, escapeSlack, renderSlack, SLACK_LIMITS, SLACK_MAX_ALERTS_PER_MESSAGE, type SlackBlock, type SlackMessage } from './blocks.js';
export { slackFailure } from './response.js';
export { createSlackSink, type SlackSinkDeps } from './sink.js';
