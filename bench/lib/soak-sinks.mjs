/**
 * The three sinks of the soak, each behind a local fake that can fail for stretches and that counts what
 * it delivered, by liquidation:
 *
 * - `chat`: the bench sink plugin against the fake chat service of ./fake-chat.mjs (ids in every message);
 * - `telegram`: the real @liqmon/sink-telegram against FakeTelegram; what a user reads is parsed back:
 *   each alert block's detail line `<label> price $<price> · <size> · <date> <time> UTC` (the soak gives
 *   every liquidation its own second, and the config shows the date), and each digest's
 *   `+N more liquidations`;
 * - `discord`: the real @liqmon/sink-discord against FakeDiscord (unversioned webhook URL, as the
 *   Discord app hands out, so a 429's `retry_after` is in milliseconds); each embed's `timestamp`, and
 *   each digest's title.
 *
 * `setMode('500' | '429' | 'ok')` starts or ends a stretch of failures on every fake at once; 429s ask for
 * 1 s. `stats()` gives, per sink: `delivered` (exchange time -> times delivered), digests and the
 * liquidations they fold, messages accepted, answers 500/429, requests that came back before a 429's
 * retry-after (`violations`; the bench fake does not check) and blocks that could not be read.
 */
import { FAKE_TELEGRAM_TOKEN, FakeDiscord, FakeTelegram } from '@liqmon/core/testing';
import { startFakeChat } from './fake-chat.mjs';
import { BENCH_SINK } from './liqmon.mjs';

const TELEGRAM_CHAT = '-1001234567890';
const RETRY_AFTER_S = 1;
/** `+37 more liquidations, $4.2M in total`: the headline of a digest (default wording). */
const DIGEST = /\+([\d,]+) more liquidations, /;
/**
 * `Avg fill price $64,250.1 · 0.5 BTC · 2025-10-09 12:34:56 UTC`: the detail line of one liquidation.
 * The label is any text ending in "price" (it names the price's kind: `Avg fill price`, `Bankruptcy
 * price`, `Order price`, or `Price`), so a new label does not break the count.
 */
const LIQUIDATION_TIME = /^[^\n$]*price \$[\d,.]+ · [^\n]* · (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/im;

export async function startSoakSinks() {
  const chat = await startFakeChat();
  // Flood limits above what the sink's pacing (50 ms per group message) can reach: the only 429s are
  // the scheduled ones, so counts do not depend on timing.
  const telegram = await FakeTelegram.start({ chats: [TELEGRAM_CHAT], rateLimit: { group: { count: 30, windowMs: 1000 } } });
  // Discord's default buckets (5 per 2 s, 30 a minute) carry ~5 alerts/s, a twentieth of the soak's rate:
  // everything would be digests. These leave room, and the sink still paces by the headers.
  const discord = await FakeDiscord.start({ buckets: [{ limit: 20, windowMs: 1000 }, { limit: 1200, windowMs: 60_000, scope: 'shared' }] });

  const telegramTally = tally((message) => message.text.split('\n\n'), telegramBlock);
  const discordTally = tally((message) => message.embeds, discordEmbed);
  const sinks = [
    {
      name: 'chat',
      yaml: `{ use: ${JSON.stringify(BENCH_SINK)}, url: ${JSON.stringify(chat.url)}, maxAlertsPerMessage: 20 }`,
      stats: () => ({
        delivered: chat.state.delivered,
        digests: chat.state.digests,
        liquidationsInDigests: chat.state.digestLiquidations,
        messages: chat.state.accepted,
        answered500: chat.state.answered500,
        answered429: chat.state.answered429,
        violations: undefined,
        unreadable: chat.state.malformedIds,
      }),
    },
    {
      name: 'telegram',
      yaml: `{ use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "${TELEGRAM_CHAT}", apiUrl: "${telegram.apiUrl}", pacing: { group: 50ms } }`,
      stats: () => ({
        ...telegramTally.update(telegram.messages),
        messages: telegram.messages.length,
        ...answers(telegram.requests),
        violations: telegram.retryAfterViolations,
      }),
    },
    {
      name: 'discord',
      yaml: `{ use: discord, webhookUrl: "\${DISCORD_WEBHOOK_URL}" }`,
      stats: () => ({
        ...discordTally.update(discord.messages),
        messages: discord.messages.length,
        ...answers(discord.requests),
        violations: discord.retryAfterViolations,
      }),
    },
  ];

  return {
    sinks,
    /** Environment for the liqmon child: the secrets its config reads. */
    env: { TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN, DISCORD_WEBHOOK_URL: discord.webhookUrl() },
    setMode(mode) {
      chat.state.mode = mode;
      chat.state.retryAfterSeconds = RETRY_AFTER_S;
      telegram.setFailure(mode === '500' ? { status: 500 } : mode === '429' ? { status: 429, retryAfter: RETRY_AFTER_S } : undefined);
      discord.setFailure(mode === '500' ? { status: 500 } : mode === '429' ? { status: 429, retryAfterMs: RETRY_AFTER_S * 1000 } : undefined);
    },
    close: () => Promise.all([chat.close(), telegram.close(), discord.close()]),
  };
}

/**
 * The note under a message whose totals come from a sampled feed ("BINANCE: only a sample of
 * liquidations is reported, so totals are a lower bound"): part of a message, not an alert.
 */
const SAMPLED_NOTE = /only a sample of liquidations is reported/i;

/** One Telegram alert block (text as the user reads it): a digest's count or a liquidation's time. */
function telegramBlock(block) {
  if (SAMPLED_NOTE.test(block)) return { note: true };
  const digest = DIGEST.exec(block.split('\n')[0] ?? '');
  if (digest) return { digest: Number(digest[1].replaceAll(',', '')) };
  const time = LIQUIDATION_TIME.exec(block);
  return time ? { time: Date.parse(`${time[1]}T${time[2]}Z`) } : undefined;
}

/** One Discord embed: a digest's count or a liquidation's time (the embed timestamp, to the ms). */
function discordEmbed(embed) {
  const digest = DIGEST.exec(embed.title ?? '');
  if (digest) return { digest: Number(digest[1].replaceAll(',', '')) };
  const time = Date.parse(embed.timestamp ?? '');
  return Number.isFinite(time) && embed.fields?.some((field) => field.name === 'Time') ? { time } : undefined;
}

/**
 * Counts of what a fake recorded, kept up to date incrementally (the soak polls while it drains, and a
 * long run records thousands of messages): `blocksOf` splits a message into alerts, `read` reads one.
 */
function tally(blocksOf, read) {
  const counts = { delivered: new Map(), digests: 0, liquidationsInDigests: 0, unreadable: 0 };
  let seen = 0;
  return {
    update(messages) {
      for (; seen < messages.length; seen++) {
        for (const block of blocksOf(messages[seen])) {
          const item = read(block);
          if (item === undefined) counts.unreadable++;
          else if (item.note) continue;
          else if (item.digest !== undefined) {
            counts.digests++;
            counts.liquidationsInDigests += item.digest;
          } else counts.delivered.set(item.time, (counts.delivered.get(item.time) ?? 0) + 1);
        }
      }
      return counts;
    },
  };
}

function answers(requests) {
  let answered500 = 0;
  let answered429 = 0;
  for (const request of requests) {
    if (request.status === 429) answered429++;
    else if (request.status >= 500) answered500++;
  }
  return { answered500, answered429 };
}
