/** `${VAR}` interpolation from the environment and a `.env` beside the config. */
import { describe, expect, it } from 'vitest';
import { brief, configError, load, yaml } from './helpers.js';

const consoleSink = (format: string) => `sinks:\n  console: { use: console, format: "${format}" }\n`;

describe('${VAR} interpolation', () => {
  it('reads variables from the environment, with defaults and inside longer text', async () => {
    const config = await load(
      yaml`
        sinks:
          console: { use: console, format: "\${FORMAT}" }
        rules:
          - name: "\${PREFIX}-\${NAME:-majors}-v\${VERSION:-2}"
            to: console
        log: { level: "\${LOG_LEVEL:-warn}" }
      `,
      { FORMAT: 'json', PREFIX: 'prod' },
    );
    expect(config.sinks[0]?.options).toEqual({ format: 'json' });
    expect(config.core.rules[0]?.name).toBe('prod-majors-v2');
    expect(config.core.log.level).toBe('warn');
  });

  it('uses the default for a variable that is set but empty', async () => {
    const config = await load('log: { level: "${LEVEL:-error}" }\n', { LEVEL: '' });
    expect(config.core.log.level).toBe('error');
  });

  it('reads a .env beside the config; the real environment wins over it', async () => {
    const dotEnv = 'FORMAT=json\nLEVEL=debug\n# a comment\nQUOTED="warn"\n';
    const config = await load(`${consoleSink('${FORMAT}')}log: { level: "\${LEVEL}" }\n`, {}, { '.env': dotEnv });
    expect(config.sinks[0]?.options).toEqual({ format: 'json' });
    expect(config.core.log.level).toBe('debug');
    const overridden = await load('log: { level: "${LEVEL}" }\n', { LEVEL: 'fatal' }, { '.env': dotEnv });
    expect(overridden.core.log.level).toBe('fatal');
    const quoted = await load('log: { level: "${QUOTED}" }\n', {}, { '.env': dotEnv });
    expect(quoted.core.log.level).toBe('warn');
  });

  it('does not write .env values into process.env', async () => {
    await load('log: { level: "${LIQMON_TEST_ONLY_LEVEL}" }\n', {}, { '.env': 'LIQMON_TEST_ONLY_LEVEL=warn\n' });
    expect(process.env['LIQMON_TEST_ONLY_LEVEL']).toBeUndefined();
  });

  it('keeps $${VAR} as a literal ${VAR}', async () => {
    const config = await load(
      yaml`
        sinks:
          console: { use: console }
        rules:
          - { name: "a$\${HOME}b", to: console }
      `,
      { HOME: '/root' },
    ).catch((e: unknown) => e);
    // `${` is not allowed in a rule name, which shows the literal came through unreplaced.
    expect(String(config)).toContain('rules[0].name: use letters, digits, "-", "_" or "."; got the text "a${HOME}b"');
  });

  it('turns an unquoted whole-value reference into a number or boolean, like the YAML it replaces', async () => {
    const config = await load('dedupeWindow: ${WINDOW}\nrules:\n  - name: a\n    minUsd: ${MIN}\n    continue: ${CONT}\n', {
      WINDOW: '5s',
      MIN: '25000',
      CONT: 'true',
    });
    expect(config.core.dedupeWindow).toBe(5000);
    expect(config.core.rules[0]).toMatchObject({ minUsd: 25000, continue: true });
  });

  it('reports a missing variable outside a sink as an error at its value', async () => {
    const error = await configError('sources:\n  b: { use: ./nope.js }\nlog:\n  level: ${LOG_LEVEL}\n');
    expect(brief(error.issues)).toContainEqual(
      '4:10 log.level: environment variable LOG_LEVEL is not set [set it in the environment or in .env beside config.yaml, or give a default: ${LOG_LEVEL:-value}]',
    );
  });

  it('explains that an unquoted ${VAR} breaks a { } mapping', async () => {
    const error = await configError('sinks:\n  chat: { use: console, format: ${FORMAT} }\n');
    expect(brief(error.issues)).toEqual([
      '2:33 : YAML syntax error: ${FORMAT} inside { } or [ ] must be in quotes (its braces end the mapping) [write format: "${FORMAT}"]',
    ]);
  });

  it('reports unquoted ${VAR}s in flow mappings once, at the first, not as dozens of errors on fine lines', async () => {
    const error = await configError(yaml`
      sources:
        binance: { use: binance }
      sinks:
        console: { use: console }
        telegram: { use: telegram, token: \${TELEGRAM_BOT_TOKEN}, chatId: \${TELEGRAM_CHAT_ID} }
        discord: { use: discord, webhookUrl: \${DISCORD_WEBHOOK_URL} }
      rules:
        - name: majors
          match: { base: [BTC, ETH] }
          minUsd: 50k
          to: [console, telegram]
    `);
    expect(brief(error.issues)).toEqual([
      '5:37 : YAML syntax error: ${TELEGRAM_BOT_TOKEN} inside { } or [ ] must be in quotes (its braces end the mapping) ' +
        '[write token: "${TELEGRAM_BOT_TOKEN}"; quote the other references inside { } or [ ] too (line 5, 6)]',
    ]);
    expect(error.message).toMatch(/^Invalid config, 1 problem:/);
  });

  it('reports only the first YAML syntax error, with no quoting hint where no ${VAR} is to blame', async () => {
    const error = await configError('log:\n  level: ${LOG_LEVEL:-info}\nrules: [ { name: a, minUsd: 1k ]\nsinks: {}\n');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/^YAML syntax error: /);
    expect(error.issues[0]?.hint ?? '').not.toContain('quotes: "${VAR}"');
    expect(error.issues[0]?.hint ?? '').not.toContain('${');
  });

  it('reports a missing variable once, not again as an empty value its key refuses', async () => {
    const error = await configError('http:\n  port: ${PORT}\nsources:\n  b: { use: binance, usdmUrl: "${USDM_URL}" }\n');
    expect(brief(error.issues)).toEqual([
      '2:9 http.port: environment variable PORT is not set [set it in the environment or in .env beside config.yaml, or give a default: ${PORT:-value}]',
      '4:31 sources.b.usdmUrl: environment variable USDM_URL is not set [set it in the environment or in .env beside config.yaml, or give a default: ${USDM_URL:-value}]',
    ]);
  });

  it('reports a malformed reference', async () => {
    const error = await configError('log: { level: "${1BAD}" }\n');
    expect(brief(error.issues)[0]).toBe(
      '1:15 log.level: `${1BAD}` is not a valid variable reference [write ${NAME} or ${NAME:-default} (letters, digits and _); write $${ for a literal ${]',
    );
  });
});

describe('sinks whose variables are not set', () => {
  const text = yaml`
    sinks:
      console: { use: console }
      quiet: { use: console, format: "\${QUIET_FORMAT}", enabled: true }
      off: { use: console, enabled: false }
    rules:
      - { name: all, to: [console, quiet, off] }
  `;

  it('are disabled with a reason and a warning instead of failing', async () => {
    const config = await load(text);
    const byName = Object.fromEntries(config.sinks.map((s) => [s.name, s.disabledReason]));
    expect(byName).toEqual({
      console: undefined,
      quiet: 'QUIET_FORMAT is not set (set it in the environment or in .env beside config.yaml)',
      off: 'enabled: false',
    });
    expect(config.warnings).toEqual([
      'sink "quiet" is disabled: QUIET_FORMAT is not set (set it in the environment or in .env beside config.yaml)',
      'sink "off" is disabled: enabled: false',
      'no sources are configured: liqmon will receive no liquidations',
    ]);
  });

  it('run once the variable is set', async () => {
    const config = await load(text, { QUIET_FORMAT: 'json' });
    expect(config.sinks.find((s) => s.name === 'quiet')).toMatchObject({ options: { format: 'json' } });
    expect(config.sinks.find((s) => s.name === 'quiet')?.disabledReason).toBeUndefined();
  });

  it('say "empty" for a variable set to nothing, as in a copied .env.example', async () => {
    const config = await load(text, {}, { '.env': 'QUIET_FORMAT=\n' });
    expect(config.sinks.find((s) => s.name === 'quiet')?.disabledReason).toBe(
      'QUIET_FORMAT is empty (set it in the environment or in .env beside config.yaml)',
    );
  });

  it('still have their other options validated, as do sinks with enabled: false', async () => {
    const error = await configError(yaml`
      sinks:
        quiet: { use: console, format: "\${QUIET_FORMAT}", colour: red }
        off: { use: console, enabled: false, format: xml }
    `);
    expect(brief(error.issues)).toEqual([
      '2:53 sinks.quiet.colour: unknown key `colour` [keys allowed here: `format`, `use`, `enabled`]',
      '3:48 sinks.off.format: must be one of `auto`, `pretty`, `json`; got the text "xml"',
    ]);
  });
});
