/**
 * `liqmon validate`'s dry instantiation: build every enabled source and sink the way `start` does
 * (the plugin's `create()` with a real context), without preparing, starting or sending anything, and
 * report a `create()` that throws as a config problem. Without it a plugin that cannot be built from
 * its options validated fine and only failed under `start`.
 */
import type { Logger } from 'pino';
import type { LoadedConfig, PluginEntry } from '../config/types.js';
import type { ConfigIssue } from '../errors.js';
import { createFormatter } from '../format/index.js';
import type { PluginDefinition } from '../plugin.js';
import { describeError } from '../util/error-text.js';
import type { Redactor } from '../util/redactor.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../util/frame-size.js';

/** How a `create()` that throws is reported, in `validate` and in `start`'s last log line. */
export const CREATE_FAILED_HINT =
  "check this entry's options against the plugin's documentation; if they are right, the plugin has a bug (create() must only read its options)";

/**
 * Create each enabled entry of `config` once and dispose of it. Resolves to one issue per entry whose
 * `create()` threw (its message redacted), located at the entry; empty when every plugin builds.
 */
export async function findCreateFailures(config: LoadedConfig, deps: { logger: Logger; redactor: Redactor }): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const formatter = createFormatter(config.core.format);
  const base = (entry: PluginEntry<PluginDefinition>) => ({
    name: entry.name,
    logger: deps.logger.child({ [entry.definition.kind]: entry.name }),
    // Aborted at once: a plugin that starts work in create() (it should not) stops it.
    signal: AbortSignal.abort(),
    secrets: deps.redactor,
  });
  const attempt = async (section: 'sources' | 'sinks', entry: PluginEntry<PluginDefinition>, create: () => { stop?: () => Promise<void> }) => {
    if (entry.disabledReason) return;
    let instance: { stop?: () => Promise<void> };
    try {
      instance = create();
    } catch (error) {
      issues.push({
        path: `${section}.${entry.name}`,
        message: `the plugin "${entry.use}" cannot be built with these options: create() threw: ${deps.redactor.redact(describeError(error))}`,
        hint: CREATE_FAILED_HINT,
        ...entry.at,
      });
      return;
    }
    await instance.stop?.().catch(() => undefined);
  };
  for (const entry of config.sources) {
    await attempt('sources', entry, () =>
      entry.definition.create(entry.options, {
        ...base(entry),
        maxFrameBytes: entry.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        frameTooLarge: () => undefined,
        frame: () => undefined,
      }),
    );
  }
  for (const entry of config.sinks) await attempt('sinks', entry, () => entry.definition.create(entry.options, { ...base(entry), formatter }));
  return issues;
}
