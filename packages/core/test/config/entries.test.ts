/** Source and sink entries: plugins loaded through the config, options validated and defaulted, secrets kept. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFromText } from '../../src/config/index.js';
import { consoleSink } from '../../src/sinks/console.js';
import { yaml } from './helpers.js';

const project = fileURLToPath(new URL('../fixtures/plugins/project/', import.meta.url));

describe('source and sink entries', () => {
  const text = yaml`
    sources:
      acme: { use: "@acme/liqmon-source", region: us }
      local: { use: ../local-source.js }
    sinks:
      console: { use: console }
      chat:
        use: liqmon-fixture-sink
        token: "\${CHAT_TOKEN}"
        chatId: "-1001"
    rules:
      - { name: all, to: [console, chat] }
  `;

  it('loads each plugin by package name, path or alias and applies option defaults', async () => {
    const config = await loadConfigFromText(text, { file: 'config.yaml', dir: project, env: { CHAT_TOKEN: 'tok-1234567890' } });
    expect(config.sources.map((s) => [s.name, s.use, s.definition.name, s.options])).toEqual([
      ['acme', '@acme/liqmon-source', 'acme', { region: 'us' }],
      ['local', '../local-source.js', 'local-source', { symbols: ['BTCUSDT'] }],
    ]);
    const [consoleEntry, chat] = config.sinks;
    expect(consoleEntry?.definition).toBe(consoleSink);
    expect(consoleEntry?.options).toEqual({ format: 'auto' });
    expect(chat?.options).toEqual({ token: 'tok-1234567890', chatId: '-1001', retries: 3, mode: 'plain' });
    expect(config.warnings).toEqual([]);
  });

  it("collects the values of the plugin's secret options for redaction", async () => {
    const config = await loadConfigFromText(text, { file: 'config.yaml', dir: project, env: { CHAT_TOKEN: 'tok-1234567890' } });
    expect(config.sinks.find((s) => s.name === 'chat')?.secrets).toEqual(['tok-1234567890']);
    expect(config.sinks.find((s) => s.name === 'console')?.secrets).toEqual([]);
  });

  it('keeps core settings beside the entries, defaulted', async () => {
    const config = await loadConfigFromText(text, { file: 'config.yaml', dir: project, env: { CHAT_TOKEN: 'tok-1234567890' } });
    expect(config.file).toBe(`${project}config.yaml`);
    expect(config.dir).toBe(project.replace(/\/$/, ''));
    expect(config.core).toMatchObject({ dedupeWindow: 60_000, shutdownTimeout: 10_000, log: { level: 'info' } });
    expect(config.core.rules[0]).toMatchObject({ name: 'all', to: ['console', 'chat'], continue: false });
  });

  it('switches the sink off, not the run, when its secret is missing', async () => {
    const config = await loadConfigFromText(text, { file: 'config.yaml', dir: project, env: {} });
    const chat = config.sinks.find((s) => s.name === 'chat');
    expect(chat?.disabledReason).toBe('CHAT_TOKEN is not set (set it in the environment or in .env beside config.yaml)');
    expect(config.warnings).toEqual([
      'sink "chat" is disabled: CHAT_TOKEN is not set (set it in the environment or in .env beside config.yaml)',
    ]);
  });
});
