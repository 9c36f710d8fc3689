import { describe, expect, it } from 'vitest';
import { dictionaries } from '../src/i18n';
import { LANGS } from '../src/i18n/lang';

type Tree = { [k: string]: unknown };

/** Every leaf's path and kind ("string" or the function's parameter count). */
function leaves(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(path, 'string');
    else if (typeof v === 'function') out.set(path, `fn/${v.length}`);
    else for (const [p, kind] of leaves(v as Tree, path)) out.set(p, kind);
  }
  return out;
}

describe('the dictionary', () => {
  const id = leaves(dictionaries.id);

  it.each(LANGS.filter((l) => l !== 'id'))('%s has exactly the keys of Bahasa Indonesia, of the same kinds', (lang) => {
    expect(Object.fromEntries(leaves(dictionaries[lang]))).toEqual(Object.fromEntries(id));
  });

  it.each(LANGS)('%s has no empty message', (lang) => {
    const empty: string[] = [];
    const walk = (t: Tree, prefix: string) => {
      for (const [k, v] of Object.entries(t)) {
        if (typeof v === 'string' && v.trim() === '') empty.push(`${prefix}${k}`);
        else if (typeof v === 'object' && v !== null) walk(v as Tree, `${prefix}${k}.`);
      }
    };
    walk(dictionaries[lang], '');
    expect(empty).toEqual([]);
  });

  it('words the two languages differently where they should differ', () => {
    expect(dictionaries.id.signIn.submit).toBe('Masuk');
    expect(dictionaries.en.signIn.submit).toBe('Sign in');
    expect(dictionaries.en.time.days(1)).toBe('1 day');
    expect(dictionaries.en.time.days(3)).toBe('3 days');
    expect(dictionaries.id.time.days(3)).toBe('3 hari');
  });
});
