const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parse "14d", "36h", "1.5h", "500ms" to milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]) * UNITS[m[2]!]!;
  return Number.isFinite(n) ? Math.round(n) : null;
}

export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new RangeError(`invalid duration: ${text}`);
  return ms;
}
