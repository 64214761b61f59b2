/**
 * The `liqmon` command. Exit codes (DESIGN.md): 0 ok, 1 runtime failure, 2 bad config or usage.
 * Logs go to stderr; stdout carries only what the console sink (or a dry run) prints.
 */
import { createRequire } from 'node:module';
import { Argument, Command, CommanderError, Option } from 'commander';
import { ConfigError, isLiqmonError } from '@liqmon/core';
import { LOG_LEVELS } from '@liqmon/core/runtime';
import { printErr } from './output.js';
import { checkPluginCommand } from './commands/check-plugin.js';
import { exportCommand, type ExportOptions } from './commands/export.js';
import { initCommand } from './commands/init.js';
import { newCommand } from './commands/new.js';
import { recordCommand } from './commands/record.js';
import { replayCommand, type ReplayOptions } from './commands/replay.js';
import { schemaCommand } from './commands/schema.js';
import { startCommand } from './commands/start.js';
import { statsCommand, type StatsOptions } from './commands/stats.js';
import { statusCommand } from './commands/status.js';
import { testSinkCommand } from './commands/test-sink.js';
import { validateCommand } from './commands/validate.js';

export { stopWithNpmWrapper } from './parent-watch.js';

/** The version of this package (`liqmon --version`), read from its package.json. */
export const CLI_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Exit codes. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const configOption = () => new Option('-c, --config <file>', 'config file (default: liqmon.config.yaml, config.yaml or .liqmonrc.yaml in the current folder)');
const logLevelOption = () => new Option('--log-level <level>', 'log level (default: log.level in the config, or info)').choices(LOG_LEVELS);

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('liqmon')
    .description('Watch crypto derivatives exchanges for forced liquidations and alert on the ones that matter.')
    .version(CLI_VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('start')
    .description('run: connect the sources, apply the rules, deliver alerts to the sinks')
    .addOption(configOption())
    .addOption(logLevelOption())
    .option('--dry-run', 'print what each sink would send instead of sending it')
    .option('--raw', "with --dry-run: print the rendered markup (Telegram MarkdownV2/HTML, Discord JSON) instead of the reader's text")
    .action(async (opts: { config?: string; logLevel?: string; dryRun?: boolean; raw?: boolean }) => setExit(await startCommand(opts)));

  program
    .command('validate')
    .description('check the config and print what it would run')
    .addOption(configOption())
    .option('--strict', 'exit 2 when there are warnings too')
    .action(async (opts: { config?: string; strict?: boolean }) => setExit(await validateCommand(opts)));

  program
    .command('init')
    .description('write a starter config.yaml and .env.example in the current folder')
    .option('-d, --dir <folder>', 'folder to write into', '.')
    .option('-f, --force', 'overwrite existing files')
    .action(async (opts: { dir: string; force?: boolean }) => setExit(await initCommand(opts)));

  program
    .command('replay')
    .description('run a recording (NDJSON) through the rules and print what each sink would receive')
    .argument('[file]', 'recording written by `liqmon record` or `liqmon export` (or NDJSON of liquidation events)')
    .addOption(configOption())
    .addOption(logLevelOption())
    .option('-s, --speed <n|max>', 'playback speed: 1 = as recorded, 10 = ten times faster, max = no waiting', 'max')
    .option('--send', 'really send to the sinks instead of printing')
    .option('--raw', "print the rendered markup (Telegram MarkdownV2/HTML, Discord JSON) instead of the reader's text")
    .option('--from-db', 'replay the stored liquidations of a period (--since, --until) instead of a file')
    .option('--since <time>', 'with --from-db: start, a duration back from --until (7d) or a UTC date or time (default 24h)')
    .option('--until <time>', 'with --from-db: end (exclusive), same forms (default: now)')
    .action(async (file: string | undefined, opts: ReplayOptions) => setExit(await replayCommand(file, opts)));

  program
    .command('record')
    .description("record the sources' raw frames to NDJSON, for replay and tests")
    .addOption(configOption())
    .addOption(logLevelOption())
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .option('--duration <duration>', 'stop after this long (e.g. 30s, 10m); default: until Ctrl-C')
    .action(async (opts: { config?: string; logLevel?: string; output?: string; duration?: string }) =>
      setExit(await recordCommand(opts)),
    );

  program
    .command('test-sink')
    .description('send a sample alert through one sink and print the outcome')
    .argument('<name>', 'sink name from the config (sinks.<name>)')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (name: string, opts: { config?: string; logLevel?: string }) => setExit(await testSinkCommand(name, opts)));

  program
    .command('status')
    .description('health of the instance running on this config (needs `http:` in the config); exit 1 when unhealthy')
    .addOption(configOption())
    .option('--json', 'print the /healthz JSON as it is')
    .action(async (opts: { config?: string; json?: boolean }) => setExit(await statusCommand(opts)));

  program
    .command('stats')
    .description('statistics of the stored liquidations of a period (count, USD total, shares, sides, sizes, top bases)')
    .addOption(configOption())
    .option('--since <time>', 'start: a duration back from now (24h, 7d) or a UTC date or time (2026-12-01T08:00)', '24h')
    .option('--until <time>', 'end (exclusive), same forms (default: now)')
    .addOption(new Option('--by <field>', 'group by this field').choices(['exchange', 'base', 'symbol', 'side', 'market']).default('exchange'))
    .option('--min-usd <amount>', 'only liquidations of at least this size (50k, 1.5M)')
    .option('--top <n>', 'how many base assets to list (default 10)')
    .option('--json', 'print the statistics as JSON (docs/store.md)')
    .action(async (opts: StatsOptions) => setExit(await statsCommand(opts)));

  program
    .command('export')
    .description('write the stored liquidations of a period as NDJSON (recording lines, for replay) or CSV')
    .addOption(configOption())
    .option('--since <time>', 'start: a duration back from --until (24h, 7d) or a UTC date or time (2026-12-01T08:00)', '24h')
    .option('--until <time>', 'end (exclusive), same forms (default: now)')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (opts: ExportOptions) => setExit(await exportCommand(opts)));

  program
    .command('schema')
    .description('print the JSON Schema of the config file (for editors)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (opts: { output?: string }) => setExit(await schemaCommand(opts)));

  program.command('check-plugin').description('run the conformance and golden checks of a plugin').argument('<plugin>', 'plugin path, package folder or package name').option('--golden <dir>', 'folder of golden files (default: test/golden of the package)').option('--update', 'write the expected files from the current decoder, for review').action(async (plugin: string, opts: { golden?: string; update?: boolean }) => setExit(await checkPluginCommand(plugin, opts)));

  program
    .command('new')
    .description('write a new plugin package (TypeScript, tests, a fake, a README) in ./liqmon-plugin-NAME')
    .addArgument(new Argument('<kind>', 'what the plugin is').choices(['source', 'sink']))
    .argument('<name>', 'plugin name (okx) or npm package name (@acme/liqmon-okx)')
    .option('-d, --dir <folder>', 'folder to write into, new or empty (default: ./liqmon-plugin-NAME)')
    .option('--core <spec>', '@liqmon/core to develop against: a version, a tarball or a folder (default: this core\'s version range)')
    .action(async (kind: string, name: string, opts: { dir?: string; core?: string }) => setExit(await newCommand(kind, name, opts)));

  return program;
}

/** Run the CLI with `argv` (without node and script). Resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

/** Print an error the way a user should see it and choose the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" under exitOverride; everything else is bad usage.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  // Redacted: an error may quote a secret (a plugin's create() error, a server's reply echoing a token).
  if (isLiqmonError(error)) {
    printErr(`liqmon: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    const usage = error instanceof ConfigError || ['LIQMON_CONFIG_INVALID', 'LIQMON_CONFIG_NOT_FOUND', 'LIQMON_USAGE'].includes(error.code);
    return usage ? EXIT.usage : EXIT.failure;
  }
  printErr(`liqmon: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.failure;
}
