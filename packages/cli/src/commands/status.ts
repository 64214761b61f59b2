/**
 * `liqmon status [-c config] [--json]`: the health of the instance running on this config, read from
 * its `/healthz`. Exit 0 when healthy; 1 when unhealthy, not reachable, or `http:` is not configured
 * (the health lives on that server, so there is nothing to ask without it).
 */
import { fetchHealth, instanceUrl, readHttpSettings } from '../ops/status-client.js';
import { formatHealth } from '../ops/format-health.js';
import { printErr, printOut } from '../output.js';

export async function statusCommand(opts: { config?: string; json?: boolean }): Promise<number> {
  // A missing or broken config is thrown (ConfigNotFoundError / ConfigError) and printed by main (exit 2).
  const { file, http } = await readHttpSettings(opts.config === undefined ? {} : { configPath: opts.config });
  if (!http) {
    printErr(
      `liqmon: ${file} has no \`http:\` section, so the running instance exposes no health to read.\n` +
        '  hint: add `http: { port: 9464 }` to the config (loopback only by default) and restart `liqmon start`.\n',
    );
    return 1;
  }
  if (http.port === 0) {
    // The address comes from the config only (never from the lock file), and port 0 names none.
    printErr(
      `liqmon: ${file} says \`http.port: 0\` (any free port), so \`liqmon status\` cannot know where the instance listens.\n` +
        '  hint: set a fixed port, e.g. `http: { port: 9464 }`, and restart `liqmon start`; the port it took is in its log ("http: listening on ...").\n',
    );
    return 1;
  }
  const { url, pid } = await instanceUrl(file, http);
  let report;
  try {
    report = await fetchHealth(url);
  } catch (error) {
    const running = pid === undefined ? 'no liqmon instance holds the lock for this config: is it running?' : `liqmon (pid ${pid}) holds this config's lock but does not answer.`;
    printErr(`liqmon: ${error instanceof Error ? error.message : String(error)}\n  hint: ${running}\n`);
    return 1;
  }
  printOut(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatHealth(report, url));
  return report.status === 'ok' ? 0 : 1;
}
