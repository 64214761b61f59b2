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
    expect(error.issues[0]?.hint).toBe('inside { } and [ ], put ${VAR} in quotes: "${VAR}"');
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
      '3:48 sinks.off.format: must be one of `pretty`, `json`; got the text "xml"',
    ]);
  });
});
