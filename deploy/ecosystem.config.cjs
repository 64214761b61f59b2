// PM2 process file for liqmon (docs/deploy.md). From the repository root, after `npm ci` (which builds):
//   pm2 start deploy/ecosystem.config.cjs && pm2 save && pm2 startup
// `.cjs` because the repository is an ES module package and PM2 loads this file with require().
// Option names: https://pm2.keymetrics.io/docs/usage/application-declaration/
const path = require('node:path');

const root = path.resolve(__dirname, '..');

module.exports = {
  apps: [
    {
      name: 'liqmon',
      cwd: root,
      script: path.join(root, 'packages/cli/bin/liqmon.js'),
      // The config (and the .env beside it). Change the path to yours.
      args: ['start', '-c', path.join(root, 'config.yaml')],
      interpreter: 'node',
      // A small young generation keeps liqmon under 100 MB RSS (docs/deploy.md, "Memory").
      node_args: ['--max-semi-space-size=1'],
      // Exactly one process: liqmon refuses a second instance on the same config (it would
      // double-post), so never use cluster mode or instances > 1.
      exec_mode: 'fork',
      instances: 1,
      autorestart: true,
      // Exit code 2 is a bad config: restarting cannot fix it. 0 is a clean stop.
      stop_exit_codes: [0, 2],
      // Back off between crash restarts (100 ms doubling up to 15 s), reset after 30 s of uptime.
      exp_backoff_restart_delay: 100,
      min_uptime: '30s',
      max_restarts: 20,
      // PM2 sends SIGINT, then SIGKILL after kill_timeout (default 1.6 s). liqmon drains its sink
      // queues for up to `shutdownTimeout` (10 s by default) on SIGINT: give it longer than that.
      kill_timeout: 20_000,
      // A guard against a leak, far above the normal footprint (80-105 MB).
      max_memory_restart: '500M',
      // Never restart on file changes: a config edit takes effect on `pm2 restart liqmon`.
      watch: false,
      // MALLOC_ARENA_MAX=1: one malloc arena instead of one per thread (docs/deploy.md, "Memory").
      env: { NODE_ENV: 'production', MALLOC_ARENA_MAX: '1' },
      // Logs: liqmon writes JSON lines to stderr (stdout only carries the console sink's output).
      // pino stamps every line already; rotate with `pm2 install pm2-logrotate`.
      error_file: path.join(root, 'logs/liqmon.err.log'),
      out_file: path.join(root, 'logs/liqmon.out.log'),
      time: false,
    },
  ],
};
