const KEY = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** The content address of bytes with this SHA-256 (lowercase hex): `sha256/ab/ab…`, fanned out by the first byte. */
export function storageKeyFor(sha256: string): string {
  const key = `sha256/${sha256.slice(0, 2)}/${sha256}`;
  if (!KEY.test(key)) throw new Error(`not a SHA-256 in hex: ${sha256}`);
  return key;
}

/** Stores refuse any other key: a key never becomes a path outside the store. */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`not a storage key: ${key}`);
}
