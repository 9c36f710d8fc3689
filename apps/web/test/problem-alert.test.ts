import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiProblem, problemFrom } from '../src/api/problem';
import { ProblemAlert } from '../src/components/basic';
import { I18nProvider } from '../src/i18n';

const GENERIC = 'Tindakan bertentangan dengan keadaan saat ini.';
const REASON = 'Periode 2 belum dibuka.';

const refusal = (extra: Record<string, unknown>) =>
  new Response(
    JSON.stringify({ type: 'https://kinerja.go.id/problems/conflict', title: 'Conflict', status: 409, code: 'CONFLICT', detail: GENERIC, ...extra }),
    {
      status: 409,
      headers: { 'content-type': 'application/problem+json' },
    },
  );

const shown = (error: unknown) => renderToStaticMarkup(createElement(I18nProvider, null, createElement(ProblemAlert, { error })));

describe("a workflow's refusal", () => {
  it('keeps the reason the workflow gave', async () => {
    const p = await problemFrom(refusal({ reason: REASON }));
    expect(p).toMatchObject({ status: 409, code: 'CONFLICT', detail: GENERIC, reason: REASON });
  });
  it('has no reason when the problem gives none, an empty one, or one that repeats the detail', async () => {
    expect((await problemFrom(refusal({}))).reason).toBeUndefined();
    expect((await problemFrom(refusal({ reason: '  ' }))).reason).toBeUndefined();
    expect((await problemFrom(refusal({ reason: 42 }))).reason).toBeUndefined();
    expect(new ApiProblem({ status: 409, detail: GENERIC, reason: GENERIC }).reason).toBeUndefined();
  });
  it('shows the reason under the detail', async () => {
    const html = shown(await problemFrom(refusal({ reason: REASON, requestId: 'r-9' })));
    expect(html).toContain(`<strong>${GENERIC}</strong>`);
    expect(html).toContain(REASON);
    expect(html.indexOf(GENERIC)).toBeLessThan(html.indexOf(REASON));
  });
  it('shows the detail alone without a reason', async () => {
    const html = shown(await problemFrom(refusal({})));
    expect(html).toContain(GENERIC);
    expect(html).not.toContain('problem-reason');
  });
});
