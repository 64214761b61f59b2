/** Validation: every problem reported at once, at the right line, with what to write instead. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFromText } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { brief, configError, load, yaml } from './helpers.js';

const project = fileURLToPath(new URL('../fixtures/plugins/project/', import.meta.url));

describe('a config with several mistakes in different places', () => {
  const text = yaml`
    sources:
      local: { use: ../local-source.js, symbol: [BTCUSDT] }
    sinks:
      console: { use: console, format: jsn }
      chat:
        use: liqmon-fixture-sink
        token: "12345678901234"
        chatID: "-100"
    rules:
      - name: majors
        match: { base: [BTC], sid: long }
        minUsd: 50x
        to: [consol]
      - name: majors
        minUsd: 2M
        maxUsd: 1M
        to: chat
    dedupeWindow: 60
    logg: { level: info }
  `;

  it('reports every one, in file order, with line, column, key path and hint', async () => {
    const error = await ConfigErrorOf(text);
    expect(brief(error.issues)).toEqual([
      '2:37 sources.local.symbol: unknown key `symbol` [did you mean `symbols`?]',
      '4:36 sinks.console.format: must be one of `auto`, `pretty`, `json`; got the text "jsn" [did you mean `json`?]',
      '5:3 sinks.chat.chatId: `chatId` is required [add `chatId:` with text]',
      '8:5 sinks.chat.chatID: unknown key `chatID` [did you mean `chatId`?]',
      '11:27 rules[0].match.sid: unknown key `sid` [did you mean `side`?]',
      '12:13 rules[0].minUsd: expected an amount such as 50000, 50k or 1.5M; got the text "50x"',
      '13:10 rules[0].to[0]: `consol` is not a sink defined under `sinks:` [did you mean `console`?]',
      '14:11 rules[1].name: rule name `majors` is already used by rules[0] [give each rule its own name; names appear in alerts and logs]',
      '16:13 rules[1].maxUsd: maxUsd (1M) is below minUsd (2M), so this rule can never match [swap the two values, or remove maxUsd]',
      '18:15 dedupeWindow: 60 is not a duration; write it with a unit: 500ms, 10s, 5m, 1h',
      '19:1 logg: unknown key `logg` [did you mean `log`?]',
    ]);
    expect(error.issues.every((issue) => issue.file === 'config.yaml')).toBe(true);
  });

  it('prints them as file:line:column lines under one heading', async () => {
    const error = await ConfigErrorOf(text);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid config, 11 problems:');
    expect(lines[1]).toBe('  config.yaml:2:37  sources.local.symbol: unknown key `symbol`');
    expect(lines[2]).toBe('      hint: did you mean `symbols`?');
  });

  async function ConfigErrorOf(config: string): Promise<ConfigError> {
    // Written inside the plugin fixture project so that `liqmon-fixture-sink` and ../local-source.js resolve.
    const error: unknown = await loadConfigFromText(config, { file: 'config.yaml', dir: project, cwd: project, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
});

describe('validation details', () => {
  it('reports YAML syntax errors with their position and stops there', async () => {
    const error = await configError('sinks:\n  console: { use: console\nrules: []\n');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: '', line: 3, file: 'config.yaml' });
    expect(error.issues[0]?.message).toMatch(/^YAML syntax error: /);
  });

  it('reports a duplicate key as a YAML error', async () => {
    const error = await configError('dedupeWindow: 1s\ndedupeWindow: 2s\n');
    expect(error.issues[0]).toMatchObject({ line: 2, hint: 'remove or rename one of the two keys' });
  });

  it('needs a mapping at the top', async () => {
    const error = await configError('- sources\n');
    expect(brief(error.issues)).toEqual([
      '1:1 : the config must be a mapping of keys (sources:, sinks:, rules:, ...) [see docs/configuration.md or run `liqmon init` for a starter config]',
    ]);
  });

  it('lists the allowed keys when no key is close', async () => {
    const error = await configError('log: { zzzzzz: 1 }\n');
    expect(brief(error.issues)).toEqual(['1:8 log.zzzzzz: unknown key `zzzzzz` [keys allowed here: `level`]']);
  });

  it('says which types fit a value that can be one or many', async () => {
    const error = await configError(yaml`
      rules:
        - name: r
          match: { base: 5, side: lon }
    `);
    expect(brief(error.issues)).toEqual([
      '3:20 rules[0].match.base: expected text or a list, got the number 5',
      '3:29 rules[0].match.side: must be one of `long`, `short`; got the text "lon" [did you mean `long`?]',
    ]);
  });

  it('points at the key of a misnamed source or sink', async () => {
    const error = await configError('sinks:\n  "my sink": { use: console }\n');
    expect(brief(error.issues)).toEqual([
      '2:3 sinks["my sink"]: `my sink` is not a valid name here: use letters, digits, "-", "_" or "."',
    ]);
  });

  it('reports plugins that cannot be loaded at their use: key, together with other problems', async () => {
    const error = await configError(yaml`
      sources:
        a: { use: binanse }
      sinks:
        b: { use: ./missing.js }
      shutdownTimeout: soon
    `);
    const issues = brief(error.issues);
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(/^2:13 sources\.a\.use: Plugin "binanse" cannot be found\. \[Did you mean the built-in `binance`\?/);
    expect(issues[1]).toMatch(/^4:13 sinks\.b\.use: Plugin "\.\/missing\.js" cannot be found\. \[There is no file /);
    expect(issues[2]).toBe('5:18 shutdownTimeout: "soon" is not a duration; write it with a unit: 500ms, 10s, 5m, 1h');
  });

  it('refuses a sink under sources: at its use: key', async () => {
    const error = await configError('sources:\n  out: { use: console }\n');
    expect(brief(error.issues)).toEqual([
      '2:15 sources.out.use: Module "console" is not a usable liqmon plugin: it is a sink plugin, not a source. [Move this entry under `sinks:`.]',
    ]);
  });

  it('suggests a defined sink in rule to: and lists them otherwise', async () => {
    const error = await configError(yaml`
      sinks:
        console: { use: console }
      rules:
        - { name: a, to: [consle, pager] }
    `);
    expect(brief(error.issues)).toEqual([
      '4:21 rules[0].to[0]: `consle` is not a sink defined under `sinks:` [did you mean `console`?]',
      '4:29 rules[0].to[1]: `pager` is not a sink defined under `sinks:` [sinks defined: `console`]',
    ]);
  });

  it('warns about a rule that sends nowhere', async () => {
    const config = await load(yaml`
      sinks:
        console: { use: console }
      rules:
        - { name: mute-dust, maxUsd: 1k, to: [] }
    `);
    expect(config.warnings).toEqual([
      'config.yaml:4:40 rules[0].to is empty: the events this rule owns are not sent anywhere',
      'no sources are configured: liqmon will receive no liquidations',
      "config.yaml:2:3  sinks.console: no rule sends to sink `console`; add it to a rule's `to:`, or remove it",
    ]);
  });

  it('never echoes a secret value, even when the plugin schema rejects it', async () => {
    const error: unknown = await loadConfigFromText(
      'sinks:\n  chat: { use: liqmon-fixture-sink, token: 12345, chatId: "1" }\n',
      { file: 'config.yaml', dir: project, env: {} },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('sinks.chat.token: expected text, got a number');
    expect((error as ConfigError).message).not.toContain('12345');
  });

  it('does not echo a secret that a custom message would include', async () => {
    const error: unknown = await loadConfigFromText(
      'sinks:\n  chat: { use: liqmon-fixture-sink, token: "short-tok", chatId: "1", retries: -1 }\n',
      { file: 'config.yaml', dir: project, env: {} },
    ).catch((e: unknown) => e);
    const message = (error as ConfigError).message;
    expect(message).toContain('sinks.chat.token: must be at least 10 characters long');
    expect(message).toContain('sinks.chat.retries: must be at least 0');
    expect(message).not.toContain('short-tok');
  });

  it('redacts a secret given to a non-secret key before cutting the long value, so no part of it shows', async () => {
    // A bot token pasted into chatId and mode (keys that are not secret) as well as into token.
    const token = '7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw-extra';
    const error: unknown = await loadConfigFromText(
      'sinks:\n  chat: { use: liqmon-fixture-sink, token: "${TOKEN}", chatId: 5, mode: "${TOKEN}" }\n',
      { file: 'config.yaml', dir: project, env: { TOKEN: token } },
    ).catch((e: unknown) => e);
    const message = (error as ConfigError).message;
    expect(message).toContain('sinks.chat.mode: must be one of `plain`, `html`; got the text "[redacted]"');
    expect(message).not.toContain(token.slice(0, 12));
  });

  it('still cuts long values that are not secrets', async () => {
    const error = await configError(`sinks:\n  out: { use: console, format: "${'p'.repeat(60)}" }\n`);
    expect(error.issues[0]?.message).toBe(`must be one of \`auto\`, \`pretty\`, \`json\`; got the text "${'p'.repeat(37)}..."`);
  });

  it("keeps a plugin's own message for a secret, with the value cut out of it", async () => {
    const error: unknown = await loadConfigFromText(
      'sinks:\n  chat: { use: liqmon-fixture-sink, token: "revoked-123456789", chatId: "1" }\n',
      { file: 'config.yaml', dir: project, env: {} },
    ).catch((e: unknown) => e);
    const message = (error as ConfigError).message;
    expect(message).toContain('sinks.chat.token: the token [redacted] was revoked; make a new one');
    expect(message).not.toContain('revoked-123456789');
  });
});
