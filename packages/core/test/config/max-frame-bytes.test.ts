/** `maxFrameBytes`: the one option common to every source, read by core (frame size limit). */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFromText } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { yaml } from './helpers.js';

const project = fileURLToPath(new URL('../fixtures/plugins/project/', import.meta.url));

describe('maxFrameBytes', () => {
  it('is taken from any source entry and kept out of the plugin options', async () => {
    const text = yaml`
      sources:
        acme: { use: "@acme/liqmon-source", region: us, maxFrameBytes: 65536 }
        local: { use: ../local-source.js }
    `;
    const config = await loadConfigFromText(text, { file: 'config.yaml', dir: project, env: {} });
    expect(config.sources.map((s) => [s.name, s.options, s.maxFrameBytes])).toEqual([
      ['acme', { region: 'us' }, 65536],
      ['local', { symbols: ['BTCUSDT'] }, undefined],
    ]);
  });

  it('is refused out of range, with the range and the default', async () => {
    const text = yaml`
      sources:
        acme: { use: "@acme/liqmon-source", region: us, maxFrameBytes: 12 }
    `;
    const error = await loadConfigFromText(text, { file: 'config.yaml', dir: project, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({
        path: 'sources.acme.maxFrameBytes',
        message: 'maxFrameBytes must be a whole number of bytes from 1024 to 67108864 (default 1048576, 1 MiB), got 12',
        line: 2,
        column: 66,
      }),
    ]);
  });
});
