/**
 * The starter config `liqmon init` writes. It is the production setup liqmon was born from; the repo's
 * `config.example.yaml` is the same text under a schema line for the repo layout (a test keeps the two
 * in step).
 */

/** Where the JSON Schema of the config sits in an installed @liqmon/core. */
export const INSTALLED_SCHEMA_PATH = 'node_modules/@liqmon/core/schema/config.schema.json';

/** The first line that points yaml-language-server (VS Code's YAML extension) at a schema. */
export function schemaLine(path: string): string {
  return `# yaml-language-server: $schema=${path}`;
}

export const STARTER_CONFIG_BODY = `# liqmon: forced-liquidation alerts. Reference: docs/configuration.md
# Secrets come from the environment or from a .env file beside this config (see .env.example).
# A sink whose secrets are not set is switched off with a warning; the rest keeps running.

sources:
  binance: { use: binance }                              # USD-M and COIN-M futures
  bybit:   { use: bybit, categories: [linear, inverse] }
  # bitfinex: { use: bitfinex }                          # derivatives and margin liquidations (liq:global)
  # bitget: { use: bitget }                             # Bitget USDT-, USDC- and coin-margined futures (v3 feed, sampled)
  # bitmex:  { use: bitmex }                             # every contract; complete, bankruptcy price, time = receive time
  # deribit: { use: deribit }                           # every future and perpetual; complete trade tape, fill price
  # dydx:    { use: dydx }                               # dYdX v4 perpetuals (indexer)
  # gate:  { use: gate }                                 # Gate futures, USDT- and BTC-settled (sampled feed)
  # htx:     { use: htx }                               # USDT-margined swaps and futures; order price
  # kraken:  { use: kraken }                             # Kraken Futures, linear (PF_) and inverse (PI_)
  # okx:     { use: okx }                               # SWAP and FUTURES, linear and inverse; sampled, bankruptcy price

sinks:
  console:  { use: console }                             # text on a terminal, JSON lines when piped (| jq)
  telegram: { use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "\${TELEGRAM_CHAT_ID}" }
  discord:  { use: discord, webhookUrl: "\${DISCORD_WEBHOOK_URL}" }
  # slack:   { use: slack, webhookUrl: "\${SLACK_WEBHOOK_URL}" }             # Block Kit, 1 message/s
  # ntfy:    { use: ntfy, topic: "\${NTFY_TOPIC}" }                           # push notifications; url: for self-hosted
  # webhook: { use: webhook, url: "\${WEBHOOK_URL}", secret: "\${WEBHOOK_SECRET}" }   # each alert as signed JSON

rules:                                                   # each event walks the rules top to bottom
  - name: majors                                         # BTC, ETH and SOL from $50k
    match: { base: [BTC, ETH, SOL] }
    minUsd: 50k
    to: [console, telegram, discord]
  - name: everything-else                                # any other symbol from $500k
    minUsd: 500k
    to: [console, telegram, discord]
  # - name: daily                                        # the day's statistics at 00:00 UTC: total, longs,
  #   summary: { every: 1d, at: "00:00", top: 5 }        # exchanges' shares, top coins (every: 1h, 4h, ...)
  #   to: [telegram]                                     # counts every event, takes none from the rules above
`;

export const STARTER_ENV_EXAMPLE = `# Copy to .env (beside the config) and fill in. Never commit .env.
# Telegram: create a bot with @BotFather; chat id of a group starts with -100.
TELEGRAM_BOT_TOKEN=
TELEGRAM_CHAT_ID=
# Discord: channel settings > Integrations > Webhooks > Copy Webhook URL.
DISCORD_WEBHOOK_URL=
# Slack: your Slack app > Incoming Webhooks > Add New Webhook to Workspace > Copy.
SLACK_WEBHOOK_URL=
# ntfy: a topic name that is hard to guess; a token (tk_...) only for protected topics.
NTFY_TOPIC=
NTFY_TOKEN=
# Webhook: your endpoint, and a long random string to sign requests (openssl rand -hex 32).
WEBHOOK_URL=
WEBHOOK_SECRET=
`;
