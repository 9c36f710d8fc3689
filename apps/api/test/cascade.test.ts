/**
 * The cascade over HTTP on real services: the ASN's evaluation carries the RHK of their pejabat penilai's SKP in the
 * same cycle (titles and ids only), an RHK's parentRhkId must be one of them (422 naming the RHK's pointer, nothing
 * applied), an RHK may support none, and the chosen one is kept in the projection.
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationIn, json, NIPS, openCycle, setup, until, validSkp, type Fixture } from './helpers.js';

interface SuperiorRhk {
  id: string;
  title: string;
  indicators: { id: string; name: string }[];
}
interface Detail {
  evaluation: { skp: { status: string; rhk: { title: string; parentRhkId: string | null }[] } | null };
  superiorRhk: SuperiorRhk[];
  workflow: { skpStatus: string } | null;
}
interface Problem {
  status: number;
  code: string;
  errors?: { pointer: string; field: string; code: string; message: string }[];
}

const indicator = validSkp.rhk[0]!.indicators[0]!;
const supervisorSkp = {
  rhk: [
    {
      title: 'Meningkatnya kualitas pelayanan administrasi kependudukan',
      indicators: [{ ...indicator, name: 'Indeks kepuasan layanan', kind: 'QUALITY', target: 85, unit: 'indeks' }],
    },
    { title: 'Tertibnya arsip kependudukan bidang', indicators: [{ ...indicator, name: 'Arsip yang didigitalkan', target: 5000, unit: 'berkas' }] },
  ],
};

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('cascade of RHK (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
  }, 180_000);
  afterAll(() => f?.close());

  it("offers the pejabat penilai's RHK, refuses any other parent, keeps the chosen one", async () => {
    const admin = await f.login('admin');
    const asn = await f.login(NIPS.staff1);
    const sup = await f.login(NIPS.kepalaBidang);
    const cycleId = await openCycle(f, admin);
    const mine = (token: string, who: string) => evaluationIn(f, token, cycleId, who);
    const asnEval = await mine(asn, 'staff1');
    const supEval = await mine(sup, 'kepala bidang');
    const view = async (id: string, token: string) => {
      const res = await f.req('GET', `/evaluations/${id}`, { token });
      expect(res.status).toBe(200);
      return json<Detail>(res);
    };
    const submit = (id: string, token: string, body: unknown) => f.req('PUT', `/evaluations/${id}/targets`, { token, body });

    // the ASN may not read the supervisor's evaluation (hidden as not found): the detail is where they see its RHK
    expect((await f.req('GET', `/evaluations/${supEval}`, { token: asn })).status).toBe(404);

    // no superior SKP yet: nothing to support, and a parent is refused
    expect((await view(asnEval, asn)).superiorRhk).toEqual([]);
    const early = await submit(asnEval, asn, { rhk: [{ ...validSkp.rhk[0], parentRhkId: 'rhk-tidak-ada' }] });
    const earlyBody = await json<Problem>(early);
    expect(early.status, JSON.stringify(earlyBody)).toBe(422);
    expect(earlyBody.code).toBe('VALIDATION_FAILED');
    expect(earlyBody.errors?.map((e) => [e.pointer, e.field, e.code])).toEqual([['/rhk/0/parentRhkId', 'rhk.0.parentRhkId', 'unknown_superior_rhk']]);

    // the supervisor submits their own SKP; the ASN then sees its RHK, titles and ids only
    expect((await submit(supEval, sup, supervisorSkp)).status).toBe(200);
    const supRhk = await until('the superior SKP in the projection', async () => {
      const rhk = (await view(supEval, sup)).evaluation.skp?.rhk;
      return rhk?.length === 2 ? rhk : undefined;
    });
    const offered = (await view(asnEval, asn)).superiorRhk;
    expect(offered.map((r) => r.title)).toEqual(supRhk.map((r) => r.title));
    for (const r of offered) {
      expect(Object.keys(r).sort()).toEqual(['id', 'indicators', 'title']);
      for (const i of r.indicators) expect(Object.keys(i).sort()).toEqual(['id', 'name']);
    }
    expect(offered.map((r) => r.indicators.map((i) => i.name))).toEqual([['Indeks kepuasan layanan'], ['Arsip yang didigitalkan']]);
    // the supervisor reading the ASN's evaluation sees the same list (their own RHK)
    expect((await view(asnEval, sup)).superiorRhk).toEqual(offered);

    // a parent not among them is refused at its RHK's pointer, the valid ones beside it not named; nothing applied
    const rhkA = { ...validSkp.rhk[0], parentRhkId: offered[1]!.id };
    const rhkB = { ...validSkp.rhk[0], title: 'Terarsipnya dokumen layanan', parentRhkId: `${offered[0]!.id}-lain` };
    const wrong = await submit(asnEval, asn, { rhk: [rhkA, rhkB] });
    const wrongBody = await json<Problem>(wrong);
    expect(wrong.status, JSON.stringify(wrongBody)).toBe(422);
    expect(wrongBody.errors?.map((e) => e.pointer)).toEqual(['/rhk/1/parentRhkId']);
    expect(wrongBody.errors?.[0]?.message).toMatch(/pejabat penilai/);
    const untouched = await view(asnEval, asn);
    expect(untouched.evaluation.skp).toBeNull();
    expect(untouched.workflow?.skpStatus).toBe('DRAFT');

    // one RHK supports the superior's second RHK, the other none
    const { parentRhkId: _none, ...rhkNone } = rhkB;
    const done = await submit(asnEval, asn, { rhk: [rhkA, rhkNone] });
    expect(done.status, await done.clone().text()).toBe(200);
    const skp = await until('the ASN SKP in the projection', async () => (await view(asnEval, asn)).evaluation.skp ?? undefined);
    expect(skp.rhk.map((r) => r.parentRhkId)).toEqual([offered[1]!.id, null]);
  }, 180_000);
});
