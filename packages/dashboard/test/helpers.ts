/** A dashboard behind a real HTTP server on 127.0.0.1, with a page folder of its own. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dashboard, type DashboardOptions } from '../src/index.js';

export interface Served {
  dashboard: Dashboard;
  url: string;
  close(): Promise<void>;
}

/** Serve a dashboard (the page is a stub: the real one is tested in a browser by e2e). */
export async function serveDashboard(options: Partial<DashboardOptions> = {}): Promise<Served> {
  const assetsDir = mkdtempSync(join(tmpdir(), 'liqmon-dashboard-'));
  writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>liqmon</title>');
  writeFileSync(join(assetsDir, 'app.js'), 'void 0;');
  writeFileSync(join(assetsDir, 'app.js.map'), '{}');
  const dashboard = new Dashboard({ history: { unavailable: 'store: false in the config' }, version: '0.1.0', assetsDir, ...options });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    dashboard.handle(req, res, url).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dashboard,
    url: `http://127.0.0.1:${port}`,
    async close() {
      dashboard.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(assetsDir, { recursive: true, force: true });
    },
  };
}
