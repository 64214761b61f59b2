/** `cluster:`: several instances as one. Validated here; the cluster itself is @liqmon/cluster. */
import { describe, expect, it } from 'vitest';
import { brief, configError, load, yaml } from './helpers.js';

describe('cluster:', () => {
  it('is absent by default (a single instance)', async () => {
    const config = await load('rules: []\n');
    expect(config.core.cluster).toBeUndefined();
  });

  it('takes the servers, the name, and a lease of 10 s by default', async () => {
    const config = await load(yaml`
      cluster: { nats: "nats://nats:4222", name: prod }
    `);
    expect(config.core.cluster).toEqual({ nats: ['nats://nats:4222'], name: 'prod', lease: 10_000 });
  });

  it('reads credentials from the environment', async () => {
    const config = await load(
      yaml`
      cluster: { nats: [nats://a:4222, nats://b:4222], name: prod, lease: 15s, instance: web-1, token: "\${NATS_TOKEN}" }
    `,
      { NATS_TOKEN: 's3cret-token' },
    );
    expect(config.core.cluster).toMatchObject({ nats: ['nats://a:4222', 'nats://b:4222'], lease: 15_000, instance: 'web-1', token: 's3cret-token' });
  });

  it('reports a bad URL, name, lease and half credentials at once', async () => {
    const error = await configError(yaml`
      cluster: { nats: "http://nats", name: "prod.eu", lease: 1s, user: me }
    `);
    const lines = brief(error.issues).join('\n');
    expect(lines).toContain('cluster.nats: must be a NATS server URL');
    expect(lines).toContain('cluster.name: must be letters, digits, _ and - only');
    expect(lines).toContain('cluster.lease: must be at least 3s');
  });

  it('needs user and pass together', async () => {
    const error = await configError(yaml`
      cluster: { nats: "nats://nats:4222", name: prod, user: me }
    `);
    expect(brief(error.issues).join('\n')).toContain('cluster.pass: give both user and pass, or neither');
  });
});
