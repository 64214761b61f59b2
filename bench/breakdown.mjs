import { RuleEngine } from '@liqmon/core';
import { frameGenerator } from './lib/frames.mjs';
import { THREE_RULES } from './lib/setup.mjs';
import { decoders } from './throughput.mjs';
// Decoders with their reference data loaded from local fakes, as in the throughput benchmark.
const src = await decoders();
const g = frameGenerator({ seed: 42 });
const frames = Array.from({ length: 100000 }, () => { const f = g.next(); return { d: src[f.exchange], frame: { channel: f.channel, data: f.data, receivedAt: 0 } }; });
const time = (name, fn) => { fn(); const ts = []; for (let i = 0; i < 3; i++) { const s = process.hrtime.bigint(); fn(); ts.push(Number(process.hrtime.bigint() - s) / 1e6); } ts.sort((a,b)=>a-b); console.log(name, ts[1].toFixed(0), 'ms'); };
let k = 0;
time('parse', () => { for (const f of frames) k += JSON.parse(f.frame.data) ? 1 : 0; });
time('decode', () => { for (const f of frames) k += f.d.decode(f.frame).length; });
time('decode+dedupe-only (0 rules)', () => { const e = new RuleEngine({ rules: [], dedupeWindowMs: 60000, emit() {} }); for (const f of frames) for (const ev of f.d.decode(f.frame)) e.push(ev); });
time('decode+rules no dedupe', () => { const e = new RuleEngine({ rules: THREE_RULES, dedupeWindowMs: 0, emit() {} }); for (const f of frames) for (const ev of f.d.decode(f.frame)) e.push(ev); });
time('decode+rules+dedupe', () => { const e = new RuleEngine({ rules: THREE_RULES, dedupeWindowMs: 60000, emit() {} }); for (const f of frames) for (const ev of f.d.decode(f.frame)) e.push(ev); });
time('set of ids only', () => { const m = new Map(); for (const f of frames) for (const ev of f.d.decode(f.frame)) m.set(ev.id, 1); });
for (const rule of THREE_RULES) {
  time(`decode+rule ${rule.name} alone (match all)`, () => { const e = new RuleEngine({ rules: [{ ...rule, match: undefined }], dedupeWindowMs: 0, emit() {} }); for (const f of frames) for (const ev of f.d.decode(f.frame)) e.push(ev); });
  time(`decode+rule ${rule.name} alone`, () => { const e = new RuleEngine({ rules: [rule], dedupeWindowMs: 0, emit() {} }); for (const f of frames) for (const ev of f.d.decode(f.frame)) e.push(ev); });
}
