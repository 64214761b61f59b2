/**
 * @liqmon/sink-nats/bus: the bus as liqmon's NATS plugins share it (subjects, connection options, the
 * connection and its stream). The source (`@liqmon/source-nats`) reads what the sink writes with these.
 */
export { alertSubject, liquidationFilter, liquidationSubject, streamSubjects, subjectToken, SUBJECT_PREFIX_RE } from './subjects.js';
export { BUS_SECRETS, busOptionFields, credentialProblems, STREAM_NAME_RE, type BusOptions } from './options.js';
export { BusConnection, DUPLICATE_WINDOW_MS, ensureStream, type Bus } from './connection.js';
export { classifyBusError } from './failure.js';
