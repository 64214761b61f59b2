/** @liqmon/core/testing: local fake servers and conformance checks for plugin authors. */
export {
  FakeExchangeServer,
  type ClientFilter,
  type FakeClient,
  type FakeExchangeOptions,
  type RestReply,
  type RestRoute,
} from './fake-exchange.js';
export {
  createSourceHarness,
  parseSourceOptions,
  runSource,
  type HarnessOptions,
  type SourceHarness,
} from './run-source.js';
export { sourceConformance, testSource, type ConformanceCheck, type SourceConformanceOptions } from './conformance.js';
export { assertLiquidation, liquidationProblems } from './validate.js';
export { createMemoryLogger, type LogLine } from './memory-logger.js';
export { MemoryJournal, type JournalRow } from './memory-journal.js';
export {
  FakeBybit,
  type FakeBybitCategory,
  type FakeBybitInstrument,
  type FakeBybitLiquidation,
  type FakeBybitOptions,
  type FakeBybitRequest,
} from './fake-bybit.js';
export { FakeBinance, type FakeBinanceLiquidation, type FakeBinanceOptions } from './fake-binance.js';
export {
  FakeDiscord,
  type FakeDiscordBucket,
  type FakeDiscordEmbed,
  type FakeDiscordFailure,
  type FakeDiscordMessage,
  type FakeDiscordOptions,
  type FakeDiscordRequest,
  type FakeDiscordWebhook,
} from './fake-discord.js';
export { FakeTelegram, FAKE_TELEGRAM_TOKEN, parseMarkdownV2, parseTelegramHtml, TelegramParseError, type DeliveredTelegramMessage, type FakeTelegramFailure, type FakeTelegramOptions, type FakeTelegramRequest, type FloodLimits, type FloodWindow, type ParsedText, type TelegramEntity, type TelegramEntityType } from './fake-telegram.js';
export { sampleAlert, sampleLiquidation } from '../sample.js';
export {
  FakeHttpReceiver,
  type FakeHttpReceiverOptions,
  type ReceivedRequest,
  type ReceiverAnswer,
  type ReceiverReply,
} from './fake-http-receiver.js';
export { createSinkContext, createSinkHarness, type SinkContextOptions, type SinkHarness, type TestSinkContext } from './sink-context.js';
export { HOSTILE_TEXT, hostileSymbol, SAMPLE_TIME, sampleBurst, sampleCascade, sampleDigest, sampleSummary, sinkSamples, type SinkSample } from './sink-samples.js';
export { checkSink, formatSinkReport, sinkChecks, type SinkCheck, type SinkCheckOptions, type SinkCheckReport, type SinkCheckResult } from './sink-check.js';
export { allHold, formatCheckResults, type CheckResult } from './check-report.js';
export { checkGolden, type GoldenCheckOptions, type GoldenReport } from './golden.js';
export {
  GOLDEN_FIELDS,
  listGoldenFiles,
  readGoldenFrames,
  readReference,
  type GoldenEvent,
  type GoldenFrame,
  type GoldenOutcome,
  type GoldenReference,
} from './golden-file.js';
export { referenceOptions, startReferenceServer } from './golden-reference.js';
export { checkPlugin, type PluginCheckOptions, type PluginCheckReport } from './plugin-check.js';
export { knownSourceFake, type LiveSourceSpec } from './known-fakes.js';
export { seededRandom } from './seeded-random.js';
