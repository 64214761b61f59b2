/**
 * The Slack sink instance: renders alerts as Block Kit with core's formatter, paces itself to one
 * message per `minInterval` per webhook, posts with core's `sendHttp`, and says what each answer means.
 * Core's outbox queues, merges (up to 10 alerts, 50 blocks) and retries, honouring a 429's Retry-After.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sendHttp, type SinkContext, type SinkInstance } from '@liqmon/core';
import { renderSlack, SLACK_LIMITS, SLACK_MAX_ALERTS_PER_MESSAGE, type SlackMessage } from './blocks.js';
import type { SlackOptions } from './options.js';
import { slackFailure } from './response.js';

/** Internals tests may replace. */
export interface SlackSinkDeps {
  now?: () => number;
}

export function createSlackSink(options: SlackOptions, context: SinkContext, deps: SlackSinkDeps = {}): SinkInstance<SlackMessage> {
  const now = deps.now ?? Date.now;
  /** When the next message may go (local ms): one per `minInterval`, later after a 429. */
  let nextAt = 0;

  return {
    limits: { maxMessageSize: SLACK_LIMITS.blocks, maxAlertsPerMessage: SLACK_MAX_ALERTS_PER_MESSAGE },
    render: (alerts) => renderSlack(alerts.map((alert) => context.formatter.format(alert))),
    measure: (message) => message.blocks.length,
    async send(message, _destination, signal) {
      const wait = nextAt - now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      let answer;
      try {
        answer = await sendHttp({
          url: options.webhookUrl,
          body: JSON.stringify(message),
          headers: { 'content-type': 'application/json' },
          signal,
          service: 'Slack',
          timeoutMs: options.timeout,
        });
      } finally {
        // Counted from the answer, so that two requests ARRIVE at least minInterval apart, as Slack counts.
        nextAt = now() + options.minInterval;
      }
      if (answer.ok) return;
      const failure = slackFailure(answer);
      if (failure.retryAfterMs !== undefined) nextAt = Math.max(nextAt, now() + failure.retryAfterMs);
      throw failure;
    },
  };
}
