/**
 * The yardstick of the burst benchmark: a bare `ws` client that only receives and JSON.parses frames.
 * Usage: node bare-client.mjs <ws url> <frames per burst>. Prints `ready` once connected and
 * `done <count> <at>` each time it has parsed another burst's worth of frames, `<at>` being when it
 * finished, in ms of the system's monotonic clock (as the fake sink of bench/plugins/arrivals-sink.mjs
 * stamps liqmon's arrivals). The first burst warms it up, as liqmon is warmed up by the steady phase;
 * it exits by itself after 120 s whatever happens.
 */
import WebSocket from 'ws';
import { monotonicMs } from './clock.mjs';

const [url, expected] = process.argv.slice(2);
const burst = Number(expected);
let count = 0;
let sink = 0;
const socket = new WebSocket(url);
socket.on('open', () => process.stdout.write('ready\n'));
socket.on('message', (data) => {
  sink += JSON.parse(data.toString('utf8')) === null ? 1 : 0;
  if (++count % burst === 0) process.stdout.write(`done ${count} ${monotonicMs()} ${sink}\n`);
});
socket.on('error', (error) => {
  process.stderr.write(`bare client: ${error.message}\n`);
  process.exit(1);
});
setTimeout(() => process.exit(2), 120_000).unref();
