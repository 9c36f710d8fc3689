/**
 * The rule-set issue's acceptance story, through the API alone (app.request), on real PostgreSQL and PGlite with the
 * real worker on the Temporal dev server. The only direct DB writes are the fixture's seed.
 *
 * An admin copies the Mataram pack, publishes it as-is (v1), drafts v2 (short calendar, stricter attendance threshold),
 * breaks a rule and sees the validation error at its JSON pointer, fixes it, simulates it against given facts (trace:
 * which rules fired on which values) and dry-runs it over the region's employees against the current version,
 * publishes it (immutable, content hash, diff lists the change), opens a cycle on it (a draft is refused, a second
 * open is idempotent / 409 with another version) and sees the cycle use it: the evaluations' workflows start and an
 * employee's score is computed by v2 (ruleSetVersionId, and the stricter threshold's COACHING flag).
 */
import { contentHash, regionPacks, withCalendar, type RuleSetDocument, type RuleTrace } from '@kinerja/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, FAST_CALENDAR, json, NIPS, setup, validSkp, type Fixture, until } from './helpers.js';

interface Version {
  id: string;
  version: number;
  status: string;
  contentHash: string | null;
  document: RuleSetDocument;
}
interface Problem {
  status: number;
  code: string;
  errors?: { pointer: string; code: string; message: string }[];
}
interface FactsResult {
  id: string;
  predikat: string | null;
  flags: { flag: string; rule: string; reason: string }[];
  reasons: string[];
  trace: RuleTrace[];
}
interface DryRun {
  mode: string;
  employees: number;
  fromScores: number;
  current: { versionId: string; distribution: Record<string, number>; flagCounts: Record<string, number> } | null;
  proposed: { versionId: string; distribution: Record<string, number>; flagCounts: Record<string, number> };
  comparison: { rows: { predikat: string; current: number; proposed: number; delta: number }[] } | null;
  results: { employeeId: string; nip: string; factsFrom: string; current: { flags: string[] } | null; proposed: { flags: string[] } }[];
}

const REGION = '/admin/regions/demo';
const BAD_POINTER = '/rules/2/conditions/all/0/fact';

/** attendance rows for one NIP: `present` days present then `absent` days absent, from 1 March 2025 */
function attendance(nip: string, present: number, absent: number) {
  return Array.from({ length: present + absent }, (_, i) => ({
    nip,
    date: `2025-03-${String(i + 1).padStart(2, '0')}`,
    present: i < present,
    source: 'e-presensi',
  }));
}

describe.each(['postgres', 'pglite'] as const)('rule-set story through the API (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
  }, 180_000);
  afterAll(() => f?.close());

  it('copy a pack, change it, see and fix a validation error, simulate, publish, open a cycle and see it used', async () => {
    const admin = await f.login('admin');
    const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
      const res = await f.req(method, path, { token: admin, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, text };
    };

    // attendance from the regional app (fact attendanceRate): staff1 10/11 = 90.9 %, staff2 7/10 = 70 %
    const imported = await call<{ created: number }>('POST', `${REGION}/attendance/import`, [
      ...attendance(NIPS.staff1, 10, 1),
      ...attendance(NIPS.staff2, 7, 3),
    ]);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.created).toBe(21);

    // 1. copy the Mataram pack: draft v1, the pack's document under the new key and name
    const created = await call<{ ruleSet: { id: string }; version: Version }>('POST', `${REGION}/rule-sets`, {
      key: 'mataram-kinerja',
      name: 'Aturan Kinerja (dari Mataram)',
      from: { pack: 'mataram' },
    });
    expect(created.status, created.text).toBe(201);
    const rsBase = `${REGION}/rule-sets/${created.body.ruleSet.id}`;
    const v1 = created.body.version;
    expect(v1).toMatchObject({ version: 1, status: 'DRAFT', contentHash: null });
    expect(v1.document).toEqual({ ...regionPacks.mataram, key: 'mataram-kinerja', name: 'Aturan Kinerja (dari Mataram)' });

    // the region adopts the pack as it is (v1 becomes the current version)
    const pub1 = await call<Version>('POST', `${rsBase}/versions/${v1.id}/publish`);
    expect(pub1.status, pub1.text).toBe(200);
    expect(pub1.body.status).toBe('PUBLISHED');

    // 2. a new draft v2 (a copy of the latest version) that the admin changes
    const v2res = await call<Version>('POST', `${rsBase}/versions`, {});
    expect(v2res.status, v2res.text).toBe(201);
    const v2 = v2res.body;
    expect(v2).toMatchObject({ version: 2, status: 'DRAFT' });
    const v2Path = `${rsBase}/versions/${v2.id}`;
    const changed = withCalendar(v2.document, FAST_CALENDAR); // a calendar that runs in seconds
    changed.params.thresholds = { ...changed.params.thresholds, attendanceMin: 92 }; // stricter coaching threshold

    // ... with a mistake: the third rule's first condition names a fact that does not exist
    const broken = structuredClone(changed) as unknown as { rules: { conditions: { all: { fact: string }[] } }[] };
    expect(broken.rules[2]!.conditions.all[0]!.fact).toBe('capaianAvg');
    broken.rules[2]!.conditions.all[0]!.fact = 'capaianRataRata';
    const saved = await call<{ version: Version; validation: { ok: boolean; errors: { pointer: string; code: string }[] } }>('PUT', v2Path, {
      document: broken,
    });
    expect(saved.status, saved.text).toBe(200); // a draft may be saved invalid
    expect(saved.body.validation.ok).toBe(false);
    expect(saved.body.validation.errors).toContainEqual(expect.objectContaining({ pointer: BAD_POINTER, code: 'UNKNOWN_FACT' }));

    // 3. validation and publishing point at the bad rule
    const invalid = await call<Problem>('POST', `${v2Path}/validate`);
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('RULESET_INVALID');
    expect(invalid.body.errors).toContainEqual(expect.objectContaining({ pointer: BAD_POINTER, code: 'UNKNOWN_FACT' }));
    const refused = await call<Problem>('POST', `${v2Path}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.pointer)).toContain(BAD_POINTER);
    const simulateInvalid = await call<Problem>('POST', `${v2Path}/simulate`, { subjects: [{ attendanceRate: 95 }] });
    expect(simulateInvalid.status).toBe(422);
    expect(simulateInvalid.body.code).toBe('RULESET_INVALID');
    const stillDraft = await call<Version>('GET', v2Path);
    expect(stillDraft.body.status).toBe('DRAFT');

    // 4. fix it
    const fixed = await call<{ validation: { ok: boolean; errors: unknown[] } }>('PUT', v2Path, { document: changed });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body.validation).toEqual({ ok: true, errors: [] });
    const valid = await call<{ ok: boolean; contentHash: string }>('POST', `${v2Path}/validate`);
    expect(valid.status, valid.text).toBe(200);
    expect(valid.body).toEqual({ ok: true, contentHash: contentHash(changed) });

    // 5a. simulate against given facts: the trace shows which rules fired on which values
    const sim = await call<{ mode: string; distribution: Record<string, number>; results: FactsResult[] }>('POST', `${v2Path}/simulate`, {
      subjects: [
        { id: 'berprestasi', facts: { capaianIndicators: [120, 115], hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS', attendanceRate: 96 } },
        { id: 'kurang-disiplin', facts: { capaianIndicators: [100], hasilKerjaRating: 'SESUAI', perilakuRating: 'SESUAI', attendanceRate: 91 } },
      ],
    });
    expect(sim.status, sim.text).toBe(200);
    expect(sim.body.mode).toBe('facts');
    const [top, weak] = sim.body.results;
    expect(top).toMatchObject({ id: 'berprestasi', predikat: 'SANGAT_BAIK' });
    expect(weak).toMatchObject({ id: 'kurang-disiplin', predikat: 'BAIK' });
    expect(top!.flags.map((x) => x.flag)).toContain('REWARD');
    expect(top!.flags.map((x) => x.flag)).not.toContain('COACHING');
    expect(weak!.flags).toContainEqual(expect.objectContaining({ flag: 'COACHING', rule: 'Pembinaan disiplin kehadiran' }));
    expect(weak!.reasons.join('\n')).toContain('91%');
    const coachingTrace = weak!.trace.find((t) => t.rule === 'Pembinaan disiplin kehadiran')!;
    expect(coachingTrace.fired).toBe(true);
    expect(coachingTrace.conditions).toEqual([expect.objectContaining({ fact: 'attendanceRate', operator: 'lessThan', factValue: 91, result: true })]);
    const rewardTrace = top!.trace.find((t) => t.rule === 'Penghargaan ASN berprestasi')!;
    expect(rewardTrace.fired).toBe(true);
    expect(rewardTrace.conditions.map((x) => [x.fact, x.factValue, x.result])).toEqual([
      ['hasilKerjaRating', 'DI_ATAS', true],
      ['perilakuRating', 'DI_ATAS', true],
      ['attendanceRate', 96, true],
    ]);
    expect(top!.trace.find((t) => t.rule === 'Pembinaan disiplin kehadiran')).toMatchObject({
      fired: false,
      conditions: [expect.objectContaining({ factValue: 96, result: false })],
    });
    expect(sim.body.distribution).toMatchObject({ SANGAT_BAIK: 1, BAIK: 1 });
    // facts the catalog rejects are a validation problem pointing into the subject
    const badFacts = await call<Problem>('POST', `${v2Path}/simulate`, { subjects: [{ id: 'x', facts: { attendanceRate: 150 } }] });
    expect(badFacts.status).toBe(422);
    expect(badFacts.body.errors?.[0]?.pointer).toBe('/subjects/0/facts/attendanceRate');

    // 5b. dry run over the region's employees, compared with the current version (v1, the latest published)
    const dry = await call<DryRun>('POST', `${v2Path}/simulate`, { employees: true });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ mode: 'employees', employees: 4, fromScores: 0 });
    expect(dry.body.current?.versionId).toBe(v1.id);
    expect(dry.body.proposed.versionId).toBe(v2.id);
    const byNip = new Map(dry.body.results.map((r) => [r.nip, r]));
    // staff1 (90.9 %) only meets the stricter threshold's coaching; staff2 (70 %) is flagged under both
    expect(byNip.get(NIPS.staff1)).toMatchObject({ factsFrom: 'current', current: { flags: [] }, proposed: { flags: ['COACHING'] } });
    expect(byNip.get(NIPS.staff2)?.current?.flags.sort()).toEqual(['COACHING', 'SANCTION_REVIEW']);
    expect(byNip.get(NIPS.staff2)?.proposed.flags.sort()).toEqual(['COACHING', 'SANCTION_REVIEW']);
    expect(dry.body.current?.flagCounts.COACHING).toBe(1);
    expect(dry.body.proposed.flagCounts.COACHING).toBe(2);
    expect(dry.body.comparison?.rows.map((r) => r.predikat)).toEqual(['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG', 'NONE']);
    expect(dry.body.comparison?.rows.reduce((n, r) => n + r.proposed, 0)).toBe(4);
    // against a version named explicitly (the seeded national set)
    const vsSeed = await call<DryRun>('POST', `${v2Path}/simulate`, { employees: true, compareToVersionId: f.seed.ruleSetVersionId });
    expect(vsSeed.status, vsSeed.text).toBe(200);
    expect(vsSeed.body.current?.versionId).toBe(f.seed.ruleSetVersionId);
    expect(vsSeed.body.current?.flagCounts.COACHING ?? 0).toBe(0); // the national set has no attendance rules
    const vsUnknown = await call<Problem>('POST', `${v2Path}/simulate`, { employees: true, compareToVersionId: 'nope' });
    expect(vsUnknown.status).toBe(422);
    expect(vsUnknown.body.errors?.[0]?.pointer).toBe('/compareToVersionId');

    // 6. publish: immutable, with the content hash of exactly what was validated
    const pub2 = await call<Version>('POST', `${v2Path}/publish`);
    expect(pub2.status, pub2.text).toBe(200);
    expect(pub2.body).toMatchObject({ status: 'PUBLISHED', contentHash: contentHash(changed) });
    expect(pub2.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(pub2.body.contentHash).not.toBe(pub1.body.contentHash);
    const edit = await call<Problem>('PUT', v2Path, { document: { ...changed, name: 'diam-diam diubah' } });
    expect([409, 422]).toContain(edit.status);
    expect(edit.body.code).toBe('CONFLICT');
    expect((await call<Problem>('POST', `${v2Path}/publish`)).status).toBe(409);
    expect((await call<Version>('GET', v2Path)).body.document).toEqual(changed);

    // 7. the diff between the versions lists the change
    const diff = await call<{ changes: { pointer: string; op: string; before?: unknown; after?: unknown }[] }>(
      'GET',
      `${rsBase}/diff?from=${v1.id}&to=${v2.id}`,
    );
    expect(diff.status, diff.text).toBe(200);
    expect(diff.body.changes).toContainEqual({ pointer: '/params/thresholds/attendanceMin', op: 'replace', before: 90, after: 92 });
    expect(diff.body.changes.some((ch) => ch.pointer.startsWith('/params/calendar/'))).toBe(true);
    expect(diff.body.changes.filter((ch) => !ch.pointer.startsWith('/params/'))).toEqual([]);

    // 8. a cycle cannot be opened on a draft
    const v3 = await call<Version>('POST', `${rsBase}/versions`, {});
    expect(v3.status).toBe(201);
    const onDraft = await call<Problem>('POST', `${REGION}/cycles`, { year: 2026, name: 'Penilaian Kinerja 2026', ruleSetVersionId: v3.body.id });
    expect(onDraft.status).toBe(422);
    expect(onDraft.body.errors).toEqual([expect.objectContaining({ pointer: '/ruleSetVersionId', code: 'not_published' })]);

    // 9. open the cycle on v2; a second open is idempotent, another version for the same year is a conflict
    const open = await call<{ cycle: { id: string; ruleSetVersionId: string }; created: boolean }>('POST', `${REGION}/cycles`, {
      year: 2026,
      name: 'Penilaian Kinerja 2026',
      ruleSetVersionId: v2.id,
    });
    expect(open.status, open.text).toBe(201);
    expect(open.body.created).toBe(true);
    expect(open.body.cycle.ruleSetVersionId).toBe(v2.id);
    const cycleId = open.body.cycle.id;
    const again = await call<{ cycle: { id: string }; created: boolean }>('POST', `${REGION}/cycles`, {
      year: 2026,
      name: 'Penilaian Kinerja 2026',
      ruleSetVersionId: v2.id,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, cycle: { id: cycleId } });
    const other = await call<Problem>('POST', `${REGION}/cycles`, { year: 2026, name: 'Penilaian Kinerja 2026', ruleSetVersionId: v1.id });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CONFLICT');

    // 10. the cycle uses it: every active employee's workflow starts, pinned to v2
    const progress = await until('all evaluations started', async () => {
      const r = await call<{ cycle: { ruleSetVersionId: string }; progress: { started: number; total: number } }>('GET', `${REGION}/cycles/${cycleId}`);
      return r.body.progress.total === 4 && r.body.progress.started === 4 ? r.body : undefined;
    });
    expect(progress.cycle.ruleSetVersionId).toBe(v2.id);

    const asn = await f.login(NIPS.staff1);
    const sup = await f.login(NIPS.kepalaBidang);
    const evaluationId = await until('staff1 evaluation', async () => {
      const r = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token: asn }));
      return r.items.find((e) => e.cycleId === cycleId)?.id;
    });
    const base = `/evaluations/${evaluationId}`;
    const act = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await f.req(method, base + path, { token, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    interface EvalView {
      evaluation: {
        phase: string;
        cycle: { ruleSetVersionId: string };
        skp: { rhk: { indicators: { id: string }[] }[] } | null;
        scores: { kind: string; predikat: string; flags: string[]; ruleSetVersionId: string }[];
      };
      workflow: { phase: string } | null;
    }
    const view = async () => json<EvalView>(await f.req('GET', base, { token: asn }));
    expect((await view()).evaluation.cycle.ruleSetVersionId).toBe(v2.id);

    // drive staff1 on v2's short calendar: targets, four quarterly reports and reviews, the annual rating
    expect((await act('PUT', '/targets', asn, validSkp)).status).toBe(200);
    await until(
      'APPROVE_TARGETS task',
      async () => (await json<{ items: unknown[] }>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS', { token: sup }))).items.length > 0,
    );
    const approved = await act('POST', '/targets/decision', sup, { decision: 'APPROVE' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const indicators = await until('approved SKP', async () => (await view()).evaluation.skp?.rhk.flatMap((r) => r.indicators));
    for (let period = 1; period <= 4; period++) {
      await until(`report ${period}`, async () => {
        const r = await act('PUT', `/periods/${period}/report`, asn, {
          realisations: indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 300 : 3 })),
          evidence: [{ kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/rekap' }],
        });
        if (r.status === 200) return true;
        expect(r.status, JSON.stringify(r.body)).toBe(409);
        return false;
      });
      const reviewed = await act('POST', `/periods/${period}/review`, sup, { decision: 'RATE', rating: 'SESUAI', feedback: 'Lengkap' });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    }
    await until('ANNUAL_RATING phase', async () => (await view()).workflow?.phase === 'ANNUAL_RATING');
    const rated = await act('POST', '/annual-rating', sup, { hasilKerja: 'SESUAI', perilaku: allSesuai, notes: 'Baik' });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);

    // the score was computed by the pinned version: its id, and its stricter attendance threshold (90.9 % < 92 %)
    const score = await until('INITIAL score', async () => (await view()).evaluation.scores.find((s) => s.kind === 'INITIAL'));
    expect(score.ruleSetVersionId).toBe(v2.id);
    expect(score.flags).toContain('COACHING');

    // a later draft dry-runs over this cycle's recorded facts, compared with the cycle's version
    const overCycle = await call<{ mode: string; withFacts: number; current: { versionId: string }; proposed: { versionId: string } }>(
      'POST',
      `${rsBase}/versions/${v3.body.id}/simulate`,
      { cycleId },
    );
    expect(overCycle.status, JSON.stringify(overCycle.body)).toBe(200);
    expect(overCycle.body).toMatchObject({ mode: 'cycle', current: { versionId: v2.id }, proposed: { versionId: v3.body.id } });
    expect(overCycle.body.withFacts).toBeGreaterThanOrEqual(1);
    // and the region dry run now reads staff1's facts from that score
    const dryAfter = await call<DryRun>('POST', `${rsBase}/versions/${v3.body.id}/simulate`, { employees: true });
    expect(dryAfter.body.current?.versionId).toBe(v2.id); // the latest cycle's version is the current one
    expect(dryAfter.body.results.find((r) => r.nip === NIPS.staff1)?.factsFrom).toBe('score');

    // every step is in the region's audit chain, which verifies
    const auditRes = await call<{ ok: boolean; checked: number }>('GET', `${REGION}/audit/verify`);
    expect(auditRes.body.ok).toBe(true);
  }, 240_000);
});
