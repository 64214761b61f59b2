/**
 * What `liqmon status` needs: the `http:` settings of a config, the address they name, and the
 * `/healthz` answer there.
 *
 * Only `http:` is read from the config (with `${VAR}` interpolation), not the whole pipeline: status
 * must work from a shell that lacks the secrets the sources and sinks need.
 */
import { answerJson, httpRequest, networkErrorCode, type HttpResponse } from '@liqmon/core';
import { type HttpConfig, httpSchema } from '@liqmon/core/runtime';
import { readConfigSection, type SectionOptions } from '../config/section.js';
import { healthReportSchema, type HealthReport } from './health-report.js';
import { lockPathFor, readLock } from './lock.js';

/** The config file and its `http:` section (undefined when there is none). */
export async function readHttpSettings(options: SectionOptions): Promise<{ file: string; http: HttpConfig | undefined }> {
  const { file, value } = await readConfigSection(options, 'http', httpSchema);
  return { file, http: value };
}

/**
 * Base URL of the running instance: the config's `http.host:port`, and only that. The lock file is
 * never trusted for an address (it would let whoever can write it send `liqmon status` anywhere); it
 * is read only for the holder's pid, shown when nothing answers.
 */
export async function instanceUrl(file: string, http: HttpConfig, lockDir?: string): Promise<{ url: string; pid: number | undefined }> {
  const holder = await readLock(await lockPathFor(file, lockDir)).catch(() => undefined);
  const pid = holder && !holder.stale ? holder.info?.pid : undefined;
  return { url: `http://${hostForUrl(http.host)}:${http.port}`, pid };
}

/** A wildcard bind address is reached through loopback; IPv6 literals need brackets. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** GET `<url>/healthz`. Throws a plain Error with a readable message when it cannot. */
export async function fetchHealth(url: string, timeoutMs = 5_000): Promise<HealthReport> {
  let response: HttpResponse;
  try {
    response = await httpRequest(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`cannot reach liqmon at ${url}/healthz (${networkErrorCode(error)})`, { cause: error });
  }
  const report = healthReportSchema.safeParse(answerJson(response));
  if (!report.success) throw new Error(`${url}/healthz answered ${response.status} without a liqmon health report: is something else listening there?`);
  return report.data;
}
