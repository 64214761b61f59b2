/**
 * The catalogue of liqmon errors. Every error has a stable `code` and a message that says what went
 * wrong, where, and how to fix it. `isLiqmonError` recognises them even across two copies of core
 * (a plugin that bundled its own), by a global symbol rather than `instanceof`.
 */
import { networkFailure } from './util/network-failure.js';

const kLiqmonError = Symbol.for('liqmon.error');

/** Stable codes of liqmon errors. */
export type LiqmonErrorCode =
  | 'LIQMON_CONFIG_INVALID'
  | 'LIQMON_CONFIG_NOT_FOUND'
  | 'LIQMON_PLUGIN_NOT_FOUND'
  | 'LIQMON_PLUGIN_INVALID'
  | 'LIQMON_PLUGIN_API_MISMATCH'
  | 'LIQMON_MALFORMED_FRAME'
  | 'LIQMON_UNKNOWN_INSTRUMENT'
  | 'LIQMON_DELIVERY_FAILED'
  | 'LIQMON_USAGE'
  | 'LIQMON_INSTANCE_RUNNING'
  | 'LIQMON_LOCK_FAILED'
  | 'LIQMON_HTTP_FAILED'
  | 'LIQMON_SOURCE_UNREACHABLE'
  | 'LIQMON_REST_ANSWER'
  | 'LIQMON_STORE_FAILED';

/** Base class of every liqmon error. */
export class LiqmonError extends Error {
  readonly code: LiqmonErrorCode;
  /** What the user can do about it, printed under the message. */
  readonly hint: string | undefined;

  constructor(code: LiqmonErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
    Object.defineProperty(this, kLiqmonError, { value: true });
  }
}

/** True for any liqmon error, from this copy of core or another one. */
export function isLiqmonError(error: unknown): error is LiqmonError {
  return typeof error === 'object' && error !== null && kLiqmonError in error;
}

/** One problem found in a config file. */
export interface ConfigIssue {
  /** Key path inside the config, e.g. `sinks.telegram.chatId` or `rules[1].minUsd`. */
  path: string;
  /** What is wrong. */
  message: string;
  /** How to fix it ("did you mean `minUsd`?"). */
  hint?: string;
  /** Config file, 1-based line and column, where known. */
  file?: string;
  line?: number;
  column?: number;
}

/** The config cannot be used; carries every issue found, not just the first. Exit code 2. */
export class ConfigError extends LiqmonError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super('LIQMON_CONFIG_INVALID', formatConfigIssues(issues), options);
    this.issues = issues;
  }
}

/** Renders issues one per line as `file:line:column  path: message (hint)`. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => {
    const where = issue.file
      ? `${issue.file}${issue.line ? `:${issue.line}:${issue.column ?? 1}` : ''}`
      : '(config)';
    const hint = issue.hint ? `\n      hint: ${issue.hint}` : '';
    return `  ${where}  ${issue.path || '(root)'}: ${issue.message}${hint}`;
  });
  return `Invalid config, ${count}:\n${lines.join('\n')}`;
}

/** Bad command-line usage. Exit code 2. */
export class UsageError extends LiqmonError {
  constructor(message: string, options?: { hint?: string }) {
    super('LIQMON_USAGE', message, options);
  }
}

/** No config file was found or given. Exit code 2. */
export class ConfigNotFoundError extends LiqmonError {
  /** With `explicitPath`: the file given with `--config` does not exist. */
  constructor(searchedFrom: string, options?: { explicitPath?: string }) {
    if (options?.explicitPath !== undefined) {
      super('LIQMON_CONFIG_NOT_FOUND', `Config file ${options.explicitPath} does not exist.`, {
        hint: 'Check the path given with `--config`, or create a config with `liqmon init`.',
      });
      return;
    }
    super(
      'LIQMON_CONFIG_NOT_FOUND',
      `No liqmon config found in ${searchedFrom} (looked for liqmon.config.yaml, config.yaml, .liqmonrc.yaml and their .yml forms; parent folders are not searched).`,
      { hint: 'Create one with `liqmon init`, run liqmon in the folder of the config, or pass `--config path/to/config.yaml`.' },
    );
  }
}

/** A `use:` names a plugin that cannot be found. */
export class PluginNotFoundError extends LiqmonError {
  constructor(specifier: string, options: { hint: string; cause?: unknown }) {
    super('LIQMON_PLUGIN_NOT_FOUND', `Plugin "${specifier}" cannot be found.`, options);
  }
}

/** A module was found but is not a liqmon plugin of the expected kind. */
export class PluginInvalidError extends LiqmonError {
  constructor(specifier: string, problem: string, options?: { hint?: string; cause?: unknown }) {
    super('LIQMON_PLUGIN_INVALID', `Module "${specifier}" is not a usable liqmon plugin: ${problem}`, options);
  }
}

/** A plugin was built against another plugin API generation than this core implements. */
export class PluginApiMismatchError extends LiqmonError {
  constructor(specifier: string, pluginApi: number, coreApi: number, pluginCoreVersion: string) {
    super(
      'LIQMON_PLUGIN_API_MISMATCH',
      `Plugin "${specifier}" was built for liqmon plugin API ${pluginApi} (core ${pluginCoreVersion}), but this core implements API ${coreApi}.`,
      { hint: `Install a version of "${specifier}" made for this @liqmon/core, or upgrade @liqmon/core.` },
    );
  }
}

/**
 * A frame a source received cannot be decoded. Thrown by decoders; core logs it with the source name
 * and counts it, and the source goes on with the next frame.
 */
export class MalformedFrameError extends LiqmonError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('LIQMON_MALFORMED_FRAME', reason, options);
  }
}

/**
 * Thrown by a source's `decode` for a frame about an instrument its reference data does not list yet
 * (a new listing): the frame is well formed, but pricing it would mean guessing a contract size or a
 * quote currency. Core skips the frame, counts it apart from malformed ones (`unknownInstrument`), and
 * calls the instance's `refresh()` (at most once a minute) so that the next frame decodes.
 */
export class UnknownInstrumentError extends LiqmonError {
  /** The venue's instrument name as the frame gave it. */
  readonly instrument: string;

  constructor(instrument: string, options?: { cause?: unknown }) {
    super('LIQMON_UNKNOWN_INSTRUMENT', `instrument ${JSON.stringify(instrument)} is not in the instrument list yet`, options);
    this.instrument = instrument;
  }
}

/** How a failed delivery should be handled by the outbox. */
export type DeliveryFailureKind =
  /** Temporary (5xx, network, 429): retry with backoff, honouring `retryAfterMs`. */
  | 'retryable'
  /**
   * Cannot work until the config is fixed: stop the sink (bad token), or only this destination when
   * the error says `scope: 'destination'` (an unknown chat of a multi-chat sink).
   */
  | 'fatal'
  /** The server refused this one message (our bug, e.g. an invalid body): count it, skip it, go on. */
  | 'rejected';

/** What a fatal delivery error stops: see {@link DeliveryError.scope}. */
export type DeliveryFailureScope = 'sink' | 'destination';

/** Thrown by a sink's `send` to tell the outbox what happened. */
export class DeliveryError extends LiqmonError {
  readonly kind: DeliveryFailureKind;
  /** Wait at least this long before the next try (from the server's retry-after), in ms. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, where there was one. */
  readonly status: number | undefined;
  /**
   * What a `fatal` error stops: the whole sink (the default: a bad token fails every destination), or
   * only the destination it was sent to (a chat that does not exist or removed the bot), so that the
   * sink's other destinations keep receiving alerts.
   */
  readonly scope: DeliveryFailureScope;
  /**
   * For `retryable` with a `retryAfterMs`: the server asked to slow down (HTTP 429, flood control, a
   * rate-limit bucket used up) rather than failing. The outbox waits `retryAfterMs` and sends again
   * without counting a failed try, so `delivery.maxAttempts` never drops alerts for being paced, and
   * logs a wait rather than a failure.
   */
  readonly rateLimited: boolean;

  constructor(
    kind: DeliveryFailureKind,
    message: string,
    options?: { retryAfterMs?: number; status?: number; hint?: string; cause?: unknown; scope?: DeliveryFailureScope; rateLimited?: boolean },
  ) {
    super('LIQMON_DELIVERY_FAILED', message, options);
    this.kind = kind;
    this.retryAfterMs = options?.retryAfterMs;
    this.status = options?.status;
    this.scope = options?.scope ?? 'sink';
    this.rateLimited = options?.rateLimited === true;
  }
}

/** Another `liqmon start` already runs on the same config. */
export class InstanceRunningError extends LiqmonError {
  constructor(pid: number, lockFile: string) {
    super('LIQMON_INSTANCE_RUNNING', `Another liqmon instance (pid ${pid}) is already running on this config.`, {
      hint: `Stop it first, or remove ${lockFile} if no such process exists.`,
    });
  }
}

/**
 * The instance lock cannot be taken or its folder cannot be used (read-only or full disk, a folder that
 * belongs to another user). Exit code 1. Nothing half-written is left behind.
 */
export class InstanceLockError extends LiqmonError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('LIQMON_LOCK_FAILED', message, { hint, ...(cause === undefined ? {} : { cause }) });
  }
}

/** The operations server (`http:` in the config) cannot listen on its address. Exit code 1. */
export class HttpServerError extends LiqmonError {
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const reason =
      cause.code === 'EADDRINUSE'
        ? 'the port is already in use'
        : cause.code === 'EADDRNOTAVAIL'
          ? 'that address is not one of this machine'
          : cause.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : cause.message;
    super('LIQMON_HTTP_FAILED', `Cannot serve /healthz and /metrics on ${host}:${port}: ${reason}.`, {
      hint: 'Choose another `http.port` (or `http.host`) in the config, or stop what uses it.',
      cause,
    });
  }
}

/**
 * A source cannot reach its exchange (instrument list, exchange info, WebSocket): core retries and,
 * when the cause is an expected network failure (`networkFailure` in util/network-failure.ts), logs
 * one warn line instead of a stack. `action` says what failed in a few words, without the host
 * (`cannot list instruments`); `status` is the HTTP status when the server answered with one.
 */
export class SourceUnreachableError extends LiqmonError {
  readonly action: string;
  readonly host: string;
  readonly status: number | undefined;

  constructor(action: string, host: string, options?: { cause?: unknown; status?: number; hint?: string }) {
    const why =
      options?.status !== undefined
        ? `HTTP ${options.status}`
        : (networkFailure(options?.cause)?.cause ?? (options?.cause instanceof Error ? options.cause.message : 'unreachable'));
    super('LIQMON_SOURCE_UNREACHABLE', `${action} (${host}): ${why}`, {
      hint: options?.hint ?? `Check network access to ${host}; liqmon keeps retrying.`,
      ...(options?.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.action = action;
    this.host = host;
    this.status = options?.status;
  }
}

/**
 * Why the store (embedded SQLite history, `store:` in the config) cannot be used: `corrupt` (not a
 * database, or damaged), `locked` (another process held the write lock past the busy timeout),
 * `unwritable` (the file or its folder cannot be written), `full` (the disk or the database's size
 * limit is full), `other`.
 */
export type StoreFailureReason = 'corrupt' | 'locked' | 'unwritable' | 'full' | 'other';

/**
 * The store cannot be opened or written. Never stops alerting: the runtime turns the store off (or, for
 * `full`, pauses it) and says so in logs, `/healthz`, `liqmon status` and metrics.
 */
export class StoreError extends LiqmonError {
  readonly reason: StoreFailureReason;
  /** The database file concerned. */
  readonly file: string;

  constructor(reason: StoreFailureReason, file: string, message: string, hint: string, cause?: unknown) {
    super('LIQMON_STORE_FAILED', message, { hint, ...(cause === undefined ? {} : { cause }) });
    this.reason = reason;
    this.file = file;
  }
}
