/**
 * The cluster's alert stream: work-queue retention (a message stays until the leader acknowledges it),
 * file storage, and a duplicate window long enough that an alert published by two instances is
 * stored once ({@link duplicateWindow}). Created when absent; an existing one is used as it is.
 */
import type { Logger } from '@liqmon/core';
import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { duplicateWindow, type ClusterNames } from './options.js';

/** How long an alert nobody delivered stays in the stream: a day (a cluster with no leader that long has bigger problems). */
export const ALERT_MAX_AGE_MS = 86_400_000;

export async function ensureAlertStream(jsm: JetStreamManager, names: ClusterNames, leaseMs: number, logger: Logger): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(names.stream);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
  }
  logger.info(`cluster: creating the JetStream stream "${names.stream}" for ${names.subject}`);
  try {
    return await jsm.streams.add({
      name: names.stream,
      subjects: [names.subject],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      max_age: nanos(ALERT_MAX_AGE_MS),
      duplicate_window: nanos(duplicateWindow(leaseMs)),
    });
  } catch (error) {
    // Another instance created it at the same moment: use theirs.
    if (error instanceof JetStreamApiError && /already in use/i.test(error.message)) return jsm.streams.info(names.stream);
    throw error;
  }
}
