/** Options of the NATS sink, as users write them under `sinks.<name>` (besides `use`). */
import { z } from '@liqmon/core';
import { busOptionFields, credentialProblems } from './bus/options.js';

export const natsSinkOptions = z
  .object({
    ...busOptionFields,
    /**
     * Also publish every alert it receives (the alert JSON: the same object `console` with `format: json` prints) to
     * `<prefix>.alert.<kind>.<rule>`. @default false
     */
    alerts: z.boolean().default(false).describe('Also publish each alert to <prefix>.alert.<kind>.<rule> (default false)'),
  })
  .superRefine((options, context) => {
    for (const problem of credentialProblems(options)) context.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

/** Options as written in the config. */
export type NatsSinkOptionsInput = z.input<typeof natsSinkOptions>;
/** Options after validation. */
export type NatsSinkOptions = z.output<typeof natsSinkOptions>;
