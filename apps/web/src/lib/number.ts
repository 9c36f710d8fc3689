/** A number as people type it: "12", "12.5" or "12,5" (Indonesian decimal comma); null when it is not one. */
export function parseNumber(input: string): number | null {
  const s = input.trim().replace(/\s/g, '');
  if (!/^-?\d+([.,]\d+)?$/.test(s)) return null;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}
