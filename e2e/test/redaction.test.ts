/**
 * Secrets stay out of what every command prints: a sink plugin whose create() throws an error quoting
 * its secret option (as typed and upper-cased) is reported redacted by test-sink, replay and start.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv, liqmon, liqmonRun } from './cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const SECRET = 'sEcReT-t0ken-4242-abcdef';
const env = cleanEnv({ THROWING_SINK_TOKEN: SECRET });
const leaks = (text: string) => text.toLowerCase().includes(SECRET.toLowerCase());

describe('a plugin error quoting a secret', () => {
  it('test-sink says the sink could not be created, redacted, and exits 1', async () => {
    const { code, stdout, stderr } = await liqmonRun(['test-sink', 'broken', '-c', fixture('throwing-sink.yaml')], { env });
    expect(code).toBe(1);
    expect(stdout).toContain('failed: sink "broken" (./throwing-sink.js) could not be created: Error: cannot use token [redacted] (as the server saw it: [redacted])');
    expect(leaks(stdout + stderr)).toBe(false);
  });

  it('replay reports it redacted', async () => {
    const { stdout, stderr } = await liqmonRun(['replay', fixture('liquidations.ndjson'), '-c', fixture('throwing-sink.yaml')], { env });
    expect(stdout + stderr).toContain('[redacted]');
    expect(leaks(stdout + stderr)).toBe(false);
  });

  it('start --dry-run reports it redacted', async () => {
    const run = liqmon(['start', '--dry-run', '-c', fixture('throwing-sink.yaml')], { env });
    await run.waitFor('[redacted]');
    run.child.kill('SIGTERM');
    await run.exited;
    expect(leaks(run.stdout() + run.stderr())).toBe(false);
  });
});
