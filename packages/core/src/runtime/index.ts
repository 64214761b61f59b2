/**
 * @liqmon/core/runtime: what a host program needs to run liqmon. The `liqmon` CLI is built on it; a
 * program that embeds liqmon can use it too. Plugin authors need only `@liqmon/core` and
 * `@liqmon/core/testing`.
 *
 * A host finds and reads the config file itself (the CLI searches the working directory with
 * cosmiconfig), hands the text to {@link loadConfigFromText}, and runs the result with {@link Runtime}.
 * Logs are JSON lines from {@link createLogger}; a host that wants pretty logs passes a pretty stream
 * as its destination.
 */
export { Runtime, START_SUMMARY_AFTER_MS, type RuntimeOptions } from './runtime.js';
export { SourceRunner, type FrameDrop, type SourceRunnerOptions, type SourceStats } from './source-runner.js';
export { summarizeSources, type SummarySource } from './source-summary.js';

export { ConfigDocument } from '../config/document.js';
export { readConfigEnv, type ConfigEnv } from '../config/env.js';
export { interpolateDocument } from '../config/interpolate.js';
export { configJsonSchema } from '../config/json-schema.js';
export { displayPath, loadConfigFromText, MAX_CONFIG_BYTES, type EnvVars, type LoadConfigFromTextOptions } from '../config/load.js';
export { clusterSchema, coreConfigSchema, httpSchema, isLoopbackHost, MAX_RETENTION_MS, MIN_HTTP_TOKEN_LENGTH, storeSchema, type AggregateConfig, type ClusterConfig, type HttpConfig, type StoreConfig, type SummaryConfig } from '../config/schema.js';
export type { LoadedConfig, PluginEntry } from '../config/types.js';
export { MAX_DURATION_MS } from '../config/units.js';

export { emptyOutboxStats } from '../delivery/index.js';
export { HttpServerError } from '../errors.js';
export { createLogger, LOG_LEVELS, type LoggerOptions } from '../logger.js';
export { findCreateFailures } from '../plugins/instantiate.js';
export { loadPlugin } from '../plugins/load.js';
export { parseSpeed, playRecording, RecordingClock, type PlayOptions, type ReplayReport, type ReplaySpeed } from '../replay/player.js';
export { describeDrops, type DroppedFrames, type DropGroup, type UnknownInstruments } from '../replay/drops.js';
export { EXAMPLE_FRAME_LINE, frameLine, liquidationLine, referenceLine, sampleRecording, type RecordingSample } from '../replay/recording.js';
export { RecordedReference, REFERENCE_CHECK_MS } from '../replay/reference-tracker.js';
export { sampleAlert, sampleLiquidation } from '../sample.js';
export { consoleSink } from '../sinks/console.js';
export { sleep } from '../util/backoff.js';
