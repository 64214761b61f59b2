/** @liqmon/sink-nats/testing: a real nats-server with JetStream for tests of NATS plugins. */
export { checkNatsServer, natsServerBinary, NatsServerMissingError, startNatsServer, type NatsServer, type NatsServerOptions } from './nats-server.js';
