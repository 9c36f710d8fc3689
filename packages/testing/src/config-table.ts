/**
 * The README's configuration tables are rendered from each app's own variable list (the schema its config parses),
 * between `<!-- config:NAME -->` and `<!-- /config:NAME -->`: `node --import tsx scripts/config-table.ts` rewrites
 * them, and each app's test fails while the README says something else than its schema.
 */
export interface ConfigVariable {
  name: string;
  default: string | undefined;
  description: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

export function renderConfigTable(vars: readonly ConfigVariable[]): string {
  const rows = vars.filter((v) => v.name !== 'NODE_ENV').map((v) => `| \`${v.name}\` | ${cell(v.default ?? '—')} | ${cell(v.description)} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

const markers = (name: string) => [`<!-- config:${name} -->`, `<!-- /config:${name} -->`] as const;

/** The table between the markers, normalised (Prettier pads tables: compare cell by cell, not by whitespace). */
export function readmeConfigTable(readme: string, name: string): string | null {
  const [open, close] = markers(name);
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) return null;
  return normaliseTable(readme.slice(start + open.length, end));
}

export function normaliseTable(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\|\s*-[-\s|:]*\|$/, '| --- | --- | --- |')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim())
        .join('|'),
    )
    .join('\n');
}

export function replaceConfigTable(readme: string, name: string, table: string): string {
  const [open, close] = markers(name);
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} … ${close} section`);
  return `${readme.slice(0, start + open.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
