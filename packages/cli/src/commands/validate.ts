/** `liqmon validate`: load and check the config, then print what `start` would run. */
import { type AggregateConfig, findCreateFailures, type LoadedConfig, type SummaryConfig } from '@liqmon/core/runtime';
import { ConfigError, formatUsd, periodLabel } from '@liqmon/core';
import { openSession } from '../session.js';
import { describeStore } from '../store/location.js';

/**
 * Exit 0 when the config is valid, with its warnings printed; with `strict`, warnings exit 2 as well
 * (for CI: a rule no event reaches is as wrong as a misspelt key). Errors are thrown as ConfigError by
 * openSession and printed by main (exit 2), as is a plugin whose `create()` throws on its options (every
 * enabled source and sink is created once, as `start` would, and disposed of; nothing is started).
 */
export async function validateCommand(opts: { config?: string; strict?: boolean }): Promise<number> {
  const { config, logger, redactor } = await openSession({ ...(opts.config !== undefined ? { config: opts.config } : {}), logLevel: 'silent' });
  const createFailures = await findCreateFailures(config, { logger, redactor });
  if (createFailures.length > 0) throw new ConfigError(createFailures);
  process.stdout.write(`${config.file ?? 'config'} is valid.\n\n${describeRun(config)}\n`);
  for (const warning of config.warnings) process.stdout.write(`warning: ${warning}\n`);
  if (opts.strict && config.warnings.length > 0) {
    const count = config.warnings.length === 1 ? '1 warning' : `${config.warnings.length} warnings`;
    process.stderr.write(`liqmon: ${count}, and --strict makes warnings fail validation\n`);
    return 2;
  }
  return 0;
}

/** A readable summary of sources, sinks and rules. Never prints option values (they may be secrets). */
export function describeRun(config: LoadedConfig): string {
  const lines: string[] = [];
  lines.push('sources:');
  for (const s of config.sources) lines.push(`  ${s.name} (${s.use})${s.disabledReason ? ` OFF: ${s.disabledReason}` : ''}`);
  if (config.sources.length === 0) lines.push('  (none)');
  lines.push('sinks:');
  for (const s of config.sinks) lines.push(`  ${s.name} (${s.use})${s.disabledReason ? ` OFF: ${s.disabledReason}` : ''}`);
  if (config.sinks.length === 0) lines.push('  (none)');
  lines.push('rules:');
  for (const rule of config.core.rules) {
    const parts: string[] = [];
    if (rule.match) parts.push(`match ${JSON.stringify(rule.match)}`);
    if (rule.minUsd !== undefined) parts.push(`>= ${formatUsd(rule.minUsd)}`);
    if (rule.maxUsd !== undefined) parts.push(`<= ${formatUsd(rule.maxUsd)}`);
    if (rule.summary) parts.push(describeSummary(rule.summary));
    if (rule.aggregate) parts.push(describeCascade(rule.aggregate));
    if (rule.cooldown !== undefined) parts.push(`cooldown ${rule.cooldown / 1000}s`);
    if (rule.continue) parts.push('continue');
    lines.push(`  ${rule.name}: ${parts.join(', ') || 'everything'} -> ${rule.to.join(', ') || '(no sinks)'}`);
  }
  if (config.core.rules.length === 0) lines.push('  (none: no alerts will be sent)');
  lines.push(describeStore(config));
  return lines.join('\n');
}

/** `summary every 24h at 00:00 UTC, top 5`: when the periods end. */
function describeSummary(summary: SummaryConfig): string {
  return `summary every ${periodLabel(summary.every)} at ${summary.at} UTC, top ${summary.top}`;
}

/** `cascade 60s by base+side at >= $2M and >= 3 liquidations` (`over all markets` for `by: []`): the window and the bar it must reach. */
function describeCascade(aggregate: AggregateConfig): string {
  const by = aggregate.by.length > 0 ? `by ${aggregate.by.join('+')}` : 'over all markets';
  const bar = [`>= ${formatUsd(aggregate.minUsd ?? 0)}`];
  if ((aggregate.minCount ?? 1) > 1) bar.push(`>= ${aggregate.minCount} liquidations`);
  return `cascade ${aggregate.window / 1000}s ${by} at ${bar.join(' and ')}`;
}
