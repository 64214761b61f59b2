/** Reads back what a stream holds, for the tests: every message with its subject, JSON and msg id. */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface StoredMessage {
  subject: string;
  json: unknown;
  msgId: string | undefined;
}

/** Every message of `stream` on the server at `url`, in stream order ([] when the stream is absent). */
export async function readStream(url: string, stream = 'LIQMON', auth: { token?: string } = {}): Promise<StoredMessage[]> {
  const nc = await connect({ servers: url, ...auth });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    if (!names.includes(stream)) return [];
    const info = await jsm.streams.info(stream);
    const out: StoredMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message) out.push({ subject: message.subject, json: message.json(), msgId: message.header?.get('Nats-Msg-Id') });
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Polls `read` until `done` holds (no timed assertion: the test's own timeout bounds it). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
