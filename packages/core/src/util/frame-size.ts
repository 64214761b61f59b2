/**
 * The size limit of one exchange frame. Frames are untrusted: a 50 MB frame was once parsed and
 * alerted on (226 MB RSS). Real liquidation frames are under a few KB; exchange info answers, which
 * are not frames, are not limited by this.
 */

/** Default largest frame a source accepts, in bytes (1 MiB): far above any real frame. */
export const DEFAULT_MAX_FRAME_BYTES = 1_048_576;

/**
 * True when `text` takes more than `maxBytes` bytes as UTF-8. Costs nothing for ordinary frames: the
 * exact byte count is computed only when the character count alone cannot decide.
 */
export function isOversized(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true; // every character takes at least one byte
  if (text.length * 3 <= maxBytes) return false; // and at most three (a UTF-16 unit)
  return Buffer.byteLength(text, 'utf8') > maxBytes;
}
