import { stringifySearchWith } from '@tanstack/react-router';

/**
 * A URL search value of digits only (a NIP, a NIP's prefix, a page) stays text: read as a number, an 18-digit NIP
 * becomes a float that loses its last digits, and a prefix such as `1900` stops being the text the search routes
 * validate. The router's own parser turns such values into numbers before any custom parser sees them, so the
 * search is read here from the URL's own pairs; anything else is read as JSON when it is JSON, else as text.
 */
function parseValue(value: string): unknown {
  if (/^\d+$/.test(value)) throw new Error('kept as text');
  return JSON.parse(value);
}

function readValue(value: string): unknown {
  try {
    return parseValue(value);
  } catch {
    return value;
  }
}

export function parseSearch(searchStr: string): Record<string, unknown> {
  return Object.fromEntries([...new URLSearchParams(searchStr)].map(([key, value]) => [key, readValue(value)]));
}

/** Text that would read back as something else is written as JSON; digits are written as they are. */
export const stringifySearch = stringifySearchWith(JSON.stringify, parseValue);
