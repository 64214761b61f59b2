import type { ConfigIssue } from '../errors.js';
import type { SinkDefinition, SourceDefinition } from '../plugin.js';
import type { CoreConfig } from './schema.js';

/** A source or sink entry of the config, with its plugin loaded and its options validated. */
export interface PluginEntry<D> {
  /** The entry's name (`sources.<name>`). */
  name: string;
  /** What `use:` said. */
  use: string;
  /** The loaded plugin definition. */
  definition: D;
  /** Options validated (and defaulted) by the plugin's schema, without `use` and `enabled`. */
  options: Record<string, unknown>;
  /** Secret values among the options, to register for redaction. */
  secrets: string[];
  /**
   * Why this entry will not run, when it will not: `enabled: false`, or (sinks only) environment
   * variables it needs are not set. Undefined when it runs.
   */
  disabledReason?: string;
  /** Sources only: largest frame accepted, in bytes (`maxFrameBytes`, common to every source). */
  maxFrameBytes?: number;
  /** Where the entry is written in the config file, for problems found after loading (`liqmon validate`). */
  at?: Pick<ConfigIssue, 'file' | 'line' | 'column'>;
}

/** A config file loaded, interpolated, validated and with its plugins loaded. */
export interface LoadedConfig {
  /** Absolute path of the config file, or undefined for a config built in memory. */
  file: string | undefined;
  /** Folder plugin packages and relative paths resolve from. */
  dir: string;
  /** Core settings (rules, format, delivery, log, ...), validated and defaulted. */
  core: CoreConfig;
  sources: PluginEntry<SourceDefinition>[];
  sinks: PluginEntry<SinkDefinition>[];
  /** Problems that do not stop the run (disabled sinks, unused sinks), to print as warnings. */
  warnings: string[];
}
