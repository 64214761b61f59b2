/**
 * The NATS source instance: a durable pull consumer on `<prefix>.liq.>` of the stream. Each message is
 * handed to core as a frame (decoded, checked and routed to the rules, synchronously) and then
 * acknowledged, malformed ones included (redelivering them would not mend them). A message is therefore
 * acknowledged once its alerts are in the outboxes; a restart resumes after the last acknowledged one.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JetStreamManager } from '@nats-io/jetstream';
import { failureText, type SourceContext, type SourceHealth, type SourceInstance } from '@liqmon/core';
import { BusConnection, liquidationFilter } from '@liqmon/sink-nats/bus';
import { decodeBusMessage } from './decode.js';
import type { NatsSourceOptions } from './options.js';

/** The channel of every frame (what `liqmon record` writes and golden files carry). */
export const BUS_CHANNEL = 'liq';

export function createNatsSource(options: NatsSourceOptions, context: SourceContext): SourceInstance {
  const connection = new BusConnection(options, context.logger, `liqmon source ${context.name}`);
  let messages: ConsumerMessages | undefined;
  let pump: Promise<void> | undefined;
  let lastMessageAt: number | undefined;
  let stopped = false;

  async function consume(iterator: ConsumerMessages): Promise<void> {
    for await (const message of iterator) {
      lastMessageAt = Date.now();
      context.frame({ channel: BUS_CHANNEL, data: message.string(), receivedAt: lastMessageAt });
      message.ack();
    }
  }

  return {
    async start() {
      stopped = false;
      const { js, jsm } = await connection.open();
      await ensureConsumer(jsm, options);
      const consumer = await js.consumers.get(options.stream, options.consumer);
      messages = await consumer.consume({ max_messages: Math.min(options.maxAckPending, 512) });
      pump = consume(messages).catch((error: unknown) => {
        if (!stopped) context.logger.error({ err: error }, `stopped consuming from NATS: ${failureText(error)}; restart liqmon to resume`);
      });
      context.logger.info(`consuming ${liquidationFilter(options.subjectPrefix)} from stream ${options.stream} as consumer ${options.consumer}`);
    },
    async stop() {
      stopped = true;
      await messages?.close().catch(() => undefined);
      await pump;
      await connection.close();
    },
    decode: (frame) => decodeBusMessage(frame, context.name),
    health(): SourceHealth {
      return {
        connected: connection.connected && messages !== undefined && !stopped,
        reconnects: connection.reconnects,
        ...(lastMessageAt !== undefined ? { lastMessageAt } : {}),
        feeds: { [options.stream]: connection.connected },
      };
    },
  };
}

/** The durable consumer, created when absent (an existing one is used as it is: it holds the position). */
async function ensureConsumer(jsm: JetStreamManager, options: NatsSourceOptions): Promise<void> {
  try {
    await jsm.consumers.info(options.stream, options.consumer);
    return;
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
  }
  await jsm.consumers.add(options.stream, {
    durable_name: options.consumer,
    filter_subject: liquidationFilter(options.subjectPrefix),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: options.startAt === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
    max_ack_pending: options.maxAckPending,
  });
}
