import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { Redactor } from '../src/util/redactor.js';

function capture(redactor?: Redactor) {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination, ...(redactor ? { redactor } : {}) }), text: () => text };
}

const HOSTILE = 'BTC\u202eTDSU \u200b ESC\u001b]0;pwned\u0007 CSI\u009b2J';
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

describe('createLogger', () => {
  it('writes exchange text in JSON lines with control, bidi and zero-width characters escaped, the value intact', () => {
    const { logger, text } = capture();
    logger.warn({ symbol: HOSTILE }, `unknown symbol ${HOSTILE}`);
    logger.info('next line');
    expect(text()).not.toMatch(UNSAFE);
    const lines = text().split('\n');
    expect(lines).toHaveLength(3); // two lines, each ended by a real newline
    expect(JSON.parse(lines[1]!)).toMatchObject({ msg: 'next line' });
    const line = JSON.parse(lines[0]!) as { symbol: string; msg: string };
    expect(line.symbol).toBe(HOSTILE);
    expect(line.msg).toBe(`unknown symbol ${HOSTILE}`);
  });

  it('still redacts secrets', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-token-value');
    const { logger, text } = capture(redactor);
    logger.warn(`failed with S3CR3T-TOKEN-VALUE \u202e`);
    expect(text()).not.toMatch(/s3cr3t-token-value/i);
    expect(text()).not.toMatch(UNSAFE);
  });
});
