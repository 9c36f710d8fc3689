/**
 * Accessibility checks with axe-core, run inside the page under test: the engine's source is evaluated in the page
 * (no browser extension, no network), `axe.run` checks the whole document against WCAG 2.x A/AA and best practices,
 * and the violations come back as plain data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import type { Page } from 'playwright-core';

let axeSource: string | undefined;
const source = () => (axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

export interface AxeViolation {
  id: string;
  impact: ImpactValue | null;
  help: string;
  helpUrl: string;
  /** CSS selectors of the offending elements, with axe's summary of what to fix */
  nodes: { target: string; summary: string }[];
}

const toViolation = (r: Result): AxeViolation => ({
  id: r.id,
  impact: r.impact ?? null,
  help: r.help,
  helpUrl: r.helpUrl,
  nodes: r.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary ?? '' })),
});

/** Every axe violation on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  // Evaluated through the DevTools protocol rather than added as an inline <script>: the app's Content-Security-Policy
  // forbids inline scripts, and the check must run against the page exactly as users get it.
  if (!loaded) await page.evaluate(source());
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.map(toViolation);
}

export const BLOCKING_IMPACTS: readonly ImpactValue[] = ['serious', 'critical'];

/** A readable list of violations, one line per rule and element. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.impact ?? 'unknown'} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${n.target}: ${n.summary.replace(/\n/g, ' ')}`).join('\n')}`,
    )
    .join('\n');
}

/**
 * Throws when the page has a `serious` or `critical` violation, naming each rule and element; returns the lesser
 * ones (minor, moderate) for the caller to report.
 */
export async function expectAccessible(page: Page, label = page.url()): Promise<AxeViolation[]> {
  const violations = await axeViolations(page);
  const blocking = violations.filter((v) => v.impact !== null && BLOCKING_IMPACTS.includes(v.impact));
  if (blocking.length) throw new Error(`axe: ${blocking.length} serious or critical violation(s) on ${label}:\n${describeViolations(blocking)}`);
  return violations.filter((v) => !blocking.includes(v));
}
