/** `liqmon validate`: load and check the config, then print what `start` would run. */
import type { LoadedConfig } from '../../config/types.js';
import { formatUsd } from '../../format/index.js';
import { openSession } from '../session.js';

export async function validateCommand(opts: { config?: string }): Promise<number> {
  // Validation problems are thrown as ConfigError by openSession and printed by main (exit 2).
  const { config } = await openSession({ ...opts, logLevel: 'silent' });
  process.stdout.write(`${config.file ?? 'config'} is valid.\n\n${describeRun(config)}\n`);
  for (const warning of config.warnings) process.stdout.write(`warning: ${warning}\n`);
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
    if (rule.aggregate) parts.push(`cascade ${rule.aggregate.window / 1000}s by ${rule.aggregate.by.join('+')}`);
    if (rule.cooldown !== undefined) parts.push(`cooldown ${rule.cooldown / 1000}s`);
    if (rule.continue) parts.push('continue');
    lines.push(`  ${rule.name}: ${parts.join(', ') || 'everything'} -> ${rule.to.join(', ') || '(no sinks)'}`);
  }
  if (config.core.rules.length === 0) lines.push('  (none: no alerts will be sent)');
  return lines.join('\n');
}
