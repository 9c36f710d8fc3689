import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../src/lib/search-params';

const NIP = '199205152015031001';

describe('URL search values', () => {
  it('keeps an 18-digit NIP exact and unquoted', () => {
    const url = stringifySearch({ nip: NIP });
    expect(url).toBe(`?nip=${NIP}`);
    expect(parseSearch(url)).toEqual({ nip: NIP });
    expect(parseSearch(`?nip=${NIP}`)).toEqual({ nip: NIP });
    // a prefix that is a safe integer is text too: the search routes validate text
    expect(parseSearch('?nip=1900')).toEqual({ nip: '1900' });
  });

  it('round-trips text, numbers and text that would read as JSON', () => {
    const search = { q: 'siti rah', nip: '0012', page: 3, kind: 'true', note: '{"a":1}' };
    const back = parseSearch(stringifySearch(search));
    expect(back).toEqual({ ...search, page: '3' });
  });

  it('still reads objects and booleans written as JSON', () => {
    expect(parseSearch('?filter=%7B%22a%22%3A1%7D&open=true')).toEqual({ filter: { a: 1 }, open: true });
  });
});
