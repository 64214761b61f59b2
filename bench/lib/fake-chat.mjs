/**
 * A local fake chat service for the soak (127.0.0.1, port 0): accepts the bench sink's POSTs and
 * records the liquidation ids and digest counts of every message it accepted. Its mode can be switched
 * to answer 500, or 429 with a `retry-after` header, for stretches.
 */
import { createServer } from 'node:http';

export async function startFakeChat() {
  const state = {
    mode: 'ok',
    retryAfterSeconds: 1,
    accepted: 0, // messages answered 200
    answered500: 0,
    answered429: 0,
    /** Times each exchange time `T` (parsed from the liquidation id) was delivered. */
    delivered: new Map(),
    digests: 0,
    digestLiquidations: 0,
    alerts: 0,
    malformedIds: 0,
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (state.mode === '500') {
        state.answered500++;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"ok":false,"error":"internal"}');
        return;
      }
      if (state.mode === '429') {
        state.answered429++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(state.retryAfterSeconds) }).end('{"ok":false}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      state.accepted++;
      for (const alert of body.alerts) {
        state.alerts++;
        if (alert.kind === 'digest') {
          state.digests++;
          state.digestLiquidations += alert.count;
          continue;
        }
        for (const id of alert.ids) {
          // Ids are `<exchange>:<market>:<symbol>:<time>:...`; the soak gives every liquidation its own time.
          const time = Number(id.split(':')[3]);
          if (!Number.isFinite(time)) state.malformedIds++;
          state.delivered.set(time, (state.delivered.get(time) ?? 0) + 1);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${server.address().port}/send`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
