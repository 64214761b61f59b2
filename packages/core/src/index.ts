/**
 * @liqmon/core public API. Everything not exported here is internal.
 */
export { z } from 'zod';

export type { Liquidation, LiquidationSide, PriceKind } from './liquidation.js';
export { LIQUIDATION_FIELDS } from './liquidation.js';
export { epochMsText, liquidationId } from './liquidation-id.js';
export { jsonFieldParser, type JsonFieldParser, type JsonFieldValue } from './util/json-fields.js';
export { decimalNumber } from './util/decimal.js';
export { JsonCursor, JsonKeys } from './util/json-cursor.js';
export type { Alert, AlertKind, AlertTally, CascadeAlert, LiquidationAlert } from './alert.js';
export {
  defineSink,
  defineSource,
  kPlugin,
  type OptionsSchema,
  type PluginContext,
  type PluginDefinition,
  type PluginStamp,
  type RawFrame,
  type ReferenceData,
  type SecretRegistry,
  type SinkContext,
  type SinkDefinition,
  type SinkInstance,
  type SinkLimits,
  type SourceContext,
  type SourceDefinition,
  type SourceHealth,
  type SourceInstance,
  type SourceProduces,
} from './plugin.js';
export {
  ConfigError,
  ConfigNotFoundError,
  DeliveryError,
  InstanceRunningError,
  InstanceLockError,
  isLiqmonError,
  LiqmonError,
  MalformedFrameError,
  UnknownInstrumentError,
  PluginApiMismatchError,
  PluginInvalidError,
  PluginNotFoundError,
  SourceUnreachableError,
  StoreError,
  UsageError,
  type ConfigIssue,
  type DeliveryFailureKind,
  type DeliveryFailureScope,
  type LiqmonErrorCode,
  type StoreFailureReason,
} from './errors.js';
export { CORE_VERSION, PLUGIN_API_VERSION } from './version.js';
export { amount, duration, parseAmount, parseDuration } from './config/units.js';
export type { Logger } from './logger.js';
export { describeError, networkErrorCode } from './util/error-text.js';
export { Redactor } from './util/redactor.js';
export { failureText, logFailure, networkFailure, retryText, type FailureReport, type NetworkFailure } from './util/network-failure.js';
export { exampleList, LogThrottle, LOG_THROTTLE_INTERVAL_MS, type LogThrottleOptions, type ThrottledSummary } from './util/log-throttle.js';
export { DEFAULT_MAX_FRAME_BYTES } from './util/frame-size.js';
export {
  answerJson,
  AnswerTooLargeError,
  DEFAULT_MAX_ANSWER_BYTES,
  HttpHeaders,
  httpRequest,
  type HttpRequester,
  type HttpRequestOptions,
  type HttpResponse,
} from './util/http-client.js';
export { DEFAULT_MAX_REST_BYTES, DEFAULT_REST_TIMEOUT_MS, fetchJson, RestAnswerError, type FetchJsonOptions } from './util/rest.js';
export {
  invalidReason,
  MAX_CLOCK_SKEW_MS,
  MAX_NOTIONAL_USD,
  MAX_SYMBOL_LENGTH,
  type InvalidEvent,
  type InvalidReason,
} from './liquidation-check.js';
export type { DigestAlert, SummaryAlert } from './alert.js';
export { RuleEngine, type RuleCounters, type RuleEngineOptions, type RuleStats } from './rules/index.js';
export {
  createFormatter,
  DEFAULT_COIN_EMOJI,
  DISCORD_COLORS,
  DISCORD_LIMITS,
  discordMessageLength,
  escapeDiscord,
  escapeMarkdownV2,
  escapeTelegramHtml,
  formatPrice,
  formatUsd,
  periodLabel,
  readableText,
  renderDiscord,
  renderPlain,
  renderTelegramHtml,
  renderTelegramMarkdownV2,
  sanitizeText,
  TELEGRAM_MESSAGE_LIMIT,
  telegramTextLength,
  type DiscordEmbed,
  type DiscordMessage,
  type FormatOptions,
  type FormattedAlert,
  type FormattedField,
  type Formatter,
  type MessageMarkup,
} from './format/index.js';
export {
  alertId,
  Delivery,
  DEFAULT_DELIVERY_OPTIONS,
  DEFAULT_MAX_ALERTS_PER_MESSAGE,
  httpFailure,
  retryAfterMs,
  sendHttp,
  type HttpAnswer,
  type HttpFailureOptions,
  type HttpRequest,
  type DeliveryInit,
  type DeliveryOptions,
  type DeliverySink,
  type DeliveryState,
  type DeliveryStats,
  type DrainReport,
  type FailureReason,
  type OutboxStats,
  type SinkDeliveryStats,
  type Undelivered,
  type AlertJournal,
  type JournalStats,
  type JournalFailure,
  type JournalTarget,
  type PendingAlert,
  type SettleReason,
} from './delivery/index.js';
export {
  STATS_GROUP_KEYS,
  type LiquidationStats,
  type StatsGroup,
  type StatsGroupKey,
  type StatsQuery,
  type StatsTally,
  type StatsTopEntry,
} from './stats/types.js';
export { computeStats, EXACT_SIZES_CAP, MAX_STATS_KEYS, OTHER_KEY, StatsAccumulator } from './stats/index.js';
export { SUMMARY_SETTLE_MS } from './rules/summary.js';
export { nextPeriodEnd, type PeriodStats, type PeriodStatsScope } from './stats/period.js';
