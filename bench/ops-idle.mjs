/**
 * Benchmark: `/healthz` latency of a running `liqmon start` (config with `http:`) with 1,000 idle
 * sockets open (connected, never sending a byte) beside a baseline with none. Each sample is a GET on
 * a connection of its own, as a probe (Docker HEALTHCHECK, `liqmon status`) makes it. Also reports how
 * many idle sockets the server still holds once its header timeout (10 s) has passed.
 *
 * Run alone: `node bench/ops-idle.mjs` (after `npm run build`). Prints a table and one JSON line.
 */
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { procRss, startLiqmon, writeConfig } from './lib/liqmon.mjs';
import { round } from './lib/setup.mjs';

const IDLE = Number(process.env.OPS_IDLE_SOCKETS ?? 1_000);
const SAMPLES = Number(process.env.OPS_IDLE_SAMPLES ?? 300);
const toySource = fileURLToPath(new URL('../examples/toy-source/index.js', import.meta.url));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One GET /healthz on its own connection: milliseconds, or undefined when refused. */
function probe(port) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

async function measure(port) {
  const times = [];
  let refused = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const ms = await probe(port);
    if (ms === undefined) refused++;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { p50: round(at(0.5), 2), p99: round(at(0.99), 2), max: round(times.at(-1) ?? NaN, 2), refused };
}

/** Open `count` connections that never send a byte; resolves once all are connected. */
async function idleSockets(port, count) {
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.resume();
    sockets.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
  }
  return sockets;
}

async function main() {
  const port = await freePort();
  const cfg = await writeConfig(`sources:
  toy: { use: "${toySource}", interval: 1h }
sinks:
  out: { use: console, format: json }
rules:
  - { name: all, to: [out] }
http: { port: ${port} }
`);
  const run = startLiqmon({ config: cfg.file, logLevel: 'info' });
  try {
    await run.waitForLog('http: listening on');
    await run.waitForLog('source started');
    for (let i = 0; i < 50; i++) await probe(port); // warm up
    const rssBefore = await procRss(run.child.pid);
    const baseline = await measure(port);
    const openedAt = performance.now();
    const sockets = await idleSockets(port, IDLE);
    const withIdle = await measure(port);
    // Idle sockets still open when the measurement ended (it must end before the header timeout).
    const openDuring = sockets.filter((socket) => !socket.destroyed && !socket.readableEnded).length;
    const rssIdle = await procRss(run.child.pid);
    // After the header timeout (10 s, checked every second) the server has closed every idle socket.
    const waitMs = Math.max(0, 12_000 - (performance.now() - openedAt));
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const stillOpen = sockets.filter((socket) => !socket.destroyed && !socket.readableEnded).length;
    for (const socket of sockets) socket.destroy();

    const mb = (bytes) => (bytes === undefined ? 'n/a' : `${round(bytes / 1024 / 1024, 1)} MB`);
    process.stdout.write(
      [
        `/healthz latency, ${SAMPLES} GETs each on a connection of its own (Node ${process.version})`,
        `  no idle sockets:      p50 ${baseline.p50} ms  p99 ${baseline.p99} ms  max ${baseline.max} ms  refused ${baseline.refused}`,
        `  ${IDLE} idle sockets (${openDuring} still open at the end):  p50 ${withIdle.p50} ms  p99 ${withIdle.p99} ms  max ${withIdle.max} ms  refused ${withIdle.refused}`,
        `  liqmon RSS: ${mb(rssBefore)} before, ${mb(rssIdle)} with the idle sockets`,
        `  idle sockets still open 12 s after opening: ${stillOpen} of ${IDLE}`,
        '',
      ].join('\n'),
    );
    process.stdout.write(`${JSON.stringify({ bench: 'ops-idle', idle: IDLE, samples: SAMPLES, baseline, withIdle, openDuring, rssBefore, rssIdle, stillOpen })}\n`);
  } finally {
    await run.stop();
    await cfg.cleanup();
  }
}

await main();
