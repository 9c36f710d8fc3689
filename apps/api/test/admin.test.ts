import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, json, NIPS, plhForAnHour, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  errors?: { pointer: string; code: string; row?: number; message: string }[];
}

describe.each(dbKinds())('admin routes (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  const base = '/admin/regions/demo';
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
  });
  afterAll(() => f?.close());

  const auditCount = () => f.db.prisma.auditEvent.count({ where: { regionId: f.seed.regionId } });

  it('units: create (audited), duplicate → 422, nested, patch; other region 404; ASN 404; no token 401', async () => {
    const before = await auditCount();
    const res = await f.req('POST', `${base}/units`, {
      token: admin,
      body: { code: 'PKM-1', name: 'Puskesmas Satu', kind: 'PUSKESMAS', parentCode: 'DISDUKCAPIL' },
    });
    expect(res.status).toBe(201);
    expect(await auditCount()).toBe(before + 1);
    const dup = await f.req('POST', `${base}/units`, { token: admin, body: { code: 'PKM-1', name: 'Puskesmas Dua' } });
    expect(dup.status).toBe(422);
    expect((await json<Problem>(dup)).errors![0]!.pointer).toBe('/code');
    const unit = await json<{ id: string }>(res);
    const patched = await f.req('PATCH', `${base}/units/${unit.id}`, { token: admin, body: { name: 'Puskesmas Kecamatan Satu' } });
    expect(patched.status).toBe(200);
    expect((await f.req('GET', '/admin/regions/lain/units', { token: admin })).status).toBe(404);
    expect((await f.req('GET', `${base}/units`, { token: await f.login(NIPS.staff1) })).status).toBe(404);
    expect((await f.req('GET', `${base}/units`)).status).toBe(401);
    expect((await f.req('PATCH', `/admin/regions/lain/units/${unit.id}`, { token: await f.login('admin-lain'), body: { name: 'Bukan milikmu' } })).status).toBe(
      404,
    );
  });

  it('employees: create with login, patch, list', async () => {
    const res = await f.req('POST', `${base}/employees`, {
      token: admin,
      body: {
        nip: '199102022018011001',
        name: 'Rudi Hartono',
        position: 'Analis Kebijakan',
        unitCode: 'DISDUKCAPIL-PDP',
        superiorNip: NIPS.kepalaBidang,
        password: 'rahasia-awal-123',
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await f.req('POST', '/auth/login', { body: { username: '199102022018011001', password: 'rahasia-awal-123' } })).status).toBe(200);
    const badNip = await json<Problem>(
      await f.req('POST', `${base}/employees`, { token: admin, body: { nip: '123', name: 'Salah NIP', position: 'Staf', unitCode: 'DISDUKCAPIL' } }),
    );
    expect(badNip.errors![0]).toMatchObject({ pointer: '/nip' });
    const list = await json<{ items: unknown[]; total: number }>(await f.req('GET', `${base}/employees?q=Rudi`, { token: admin }));
    expect(list.total).toBe(1);
  });

  it('employees: pangkat and golongan on create, patch (null clears) and CSV import (an empty cell keeps them)', async () => {
    const nip = '199107072019031007';
    const created = await f.req('POST', `${base}/employees`, {
      token: admin,
      body: { nip, name: 'Gita Lestari', position: 'Analis SDM', unitCode: 'DISDUKCAPIL', pangkat: 'Penata Muda', golongan: 'III/a' },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const emp = await json<{ id: string; pangkat: string | null; golongan: string | null }>(created);
    expect(emp).toMatchObject({ pangkat: 'Penata Muda', golongan: 'III/a' });
    const tooLong = await json<Problem>(await f.req('PATCH', `${base}/employees/${emp.id}`, { token: admin, body: { golongan: 'x'.repeat(21) } }));
    expect(tooLong.errors![0]).toMatchObject({ pointer: '/golongan' });

    const csv = `nip,name,position,unitCode,pangkat,golongan\r\n${nip},Gita Lestari,Analis SDM,DISDUKCAPIL,Penata Muda Tingkat I,\r\n`;
    expect((await f.req('POST', `${base}/employees/import`, { token: admin, raw: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(200);
    const detail = await json<{ pangkat: string | null; golongan: string | null }>(await f.req('GET', `${base}/employees/${emp.id}`, { token: admin }));
    expect(detail).toMatchObject({ pangkat: 'Penata Muda Tingkat I', golongan: 'III/a' });

    const cleared = await json<{ pangkat: string | null; golongan: string | null }>(
      await f.req('PATCH', `${base}/employees/${emp.id}`, { token: admin, body: { pangkat: null, golongan: 'III/b' } }),
    );
    expect(cleared).toMatchObject({ pangkat: null, golongan: 'III/b' });
  });

  it('bulk import (JSON): row-by-row report, all-or-nothing', async () => {
    const rows = [
      { nip: '199303032019031001', name: 'Anisa Putri', position: 'Staf', unitCode: 'DISDUKCAPIL-PDP', superiorNip: '199404042020121002' },
      {
        nip: '199404042020121002',
        name: 'Bayu Saputra',
        position: 'Kasi',
        positionKind: 'STRUKTURAL',
        unitCode: 'DISDUKCAPIL-PDP',
        superiorNip: NIPS.kepalaBidang,
      },
      { nip: 'bukan-nip', name: 'X', position: 'Staf', unitCode: 'TIDAK-ADA', extra: true },
    ];
    const bad = await f.req('POST', `${base}/employees/import`, { token: admin, body: { rows } });
    expect(bad.status).toBe(422);
    const p = await json<Problem>(bad);
    expect(p.errors!.every((e) => e.row === 3)).toBe(true);
    expect(p.errors!.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/rows/2/nip', '/rows/2/name', '/rows/2/extra']));
    expect(await f.db.prisma.employee.count({ where: { nip: rows[0]!.nip } })).toBe(0);
    // cross-row errors: unknown unit
    const unknownUnit = await json<Problem>(
      await f.req('POST', `${base}/employees/import`, { token: admin, body: { rows: [{ ...rows[0], unitCode: 'NOPE', superiorNip: undefined }] } }),
    );
    expect(unknownUnit.errors![0]).toMatchObject({ pointer: '/rows/0/unitCode', row: 1, code: 'unknown_unit' });
    const ok = await f.req('POST', `${base}/employees/import`, { token: admin, body: { rows: rows.slice(0, 2) } });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await json(ok)).toMatchObject({ total: 2, created: 2, updated: 0 });
    const anisa = await f.db.prisma.employee.findFirstOrThrow({ where: { nip: rows[0]!.nip }, include: { superior: true } });
    expect(anisa.superior?.nip).toBe(rows[1]!.nip);
  });

  it('bulk import (CSV) with dry run and errors by row', async () => {
    const csv =
      'nip,name,position,unitCode,superiorNip\r\n199505052021011003,"Citra, S.E.",Bendahara,DISDUKCAPIL,\r\n199606062022012004,Dodi,Staf,DISDUKCAPIL,199505052021011003\r\n';
    const dry = await f.req('POST', `${base}/employees/import?dryRun=true`, { token: admin, raw: csv, headers: { 'content-type': 'text/csv' } });
    expect(dry.status, await dry.clone().text()).toBe(200);
    expect(await json(dry)).toMatchObject({ total: 2, created: 2, dryRun: true });
    expect(await f.db.prisma.employee.count({ where: { nip: '199505052021011003' } })).toBe(0);
    const real = await f.req('POST', `${base}/employees/import`, { token: admin, raw: csv, headers: { 'content-type': 'text/csv' } });
    expect(real.status).toBe(200);
    expect((await f.db.prisma.employee.findFirstOrThrow({ where: { nip: '199505052021011003' } })).name).toBe('Citra, S.E.');
    const bad = await f.req('POST', `${base}/employees/import`, { token: admin, raw: 'nip,name,colour\r\n1,2,3\r\n', headers: { 'content-type': 'text/csv' } });
    expect(bad.status).toBe(422);
    expect((await json<Problem>(bad)).errors![0]).toMatchObject({ pointer: '/header/colour' });
  });

  it('supervisor change and departure update data and are audited', async () => {
    const ev = await fakeEvaluation(f, 'staff2');
    const res = await f.req('PUT', `${base}/employees/${f.seed.employees.staff2}/supervisor`, {
      token: admin,
      body: { superiorId: f.seed.employees.kepalaDinas, reason: 'Mutasi' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const after = await f.db.prisma.evaluation.findUniqueOrThrow({ where: { id: ev.id } });
    expect(after.supervisorId).toBe(f.seed.employees.kepalaDinas);
    expect(after.reviewerId).toBeNull();
    const loop = await f.req('PUT', `${base}/employees/${f.seed.employees.kepalaDinas}/supervisor`, {
      token: admin,
      body: { superiorId: f.seed.employees.staff1 },
    });
    expect(loop.status).toBe(422);
    expect((await json<Problem>(loop)).errors![0]!.code).toBe('cycle');
    const dep = await f.req('POST', `${base}/employees/${f.seed.employees.staff2}/departure`, { token: admin, body: { reason: 'Pindah tugas ke provinsi' } });
    expect(dep.status).toBe(200);
    expect((await f.req('POST', `${base}/employees/${f.seed.employees.staff2}/departure`, { token: admin, body: { reason: 'Lagi' } })).status).toBe(409);
    const actions = (await f.db.prisma.auditEvent.findMany({ where: { regionId: f.seed.regionId }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['employee.supervisor.change', 'employee.departure']));
  });

  it('delegations: a Plt acts for the supervisor while active; revocation ends it', async () => {
    const ev = await fakeEvaluation(f, 'staff1');
    const plt = await f.login(NIPS.kepalaDinas);
    // kepala dinas is the reviewer: as such they may not approve targets (403)
    expect((await f.req('POST', `/evaluations/${ev.id}/targets/decision`, { token: plt, body: { decision: 'APPROVE' } })).status).toBe(403);
    const now = Date.now();
    const bad = await f.req('POST', `${base}/delegations`, {
      token: admin,
      body: {
        fromEmployeeId: f.seed.employees.kepalaBidang,
        toEmployeeId: f.seed.employees.kepalaBidang,
        kind: 'PLT',
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now - 1000).toISOString(),
      },
    });
    expect(bad.status).toBe(422);
    expect((await json<Problem>(bad)).errors!.map((e) => e.pointer).sort()).toEqual(['/endsAt', '/toEmployeeId']);
    const res = await f.req('POST', `${base}/delegations`, {
      token: admin,
      body: { ...plhForAnHour(f), reason: 'Cuti' },
    });
    expect(res.status).toBe(201);
    const d = await json<{ id: string }>(res);
    // allowed now: the update reaches Temporal (no workflow behind this fake evaluation → 409, not 403)
    expect((await f.req('POST', `/evaluations/${ev.id}/targets/decision`, { token: plt, body: { decision: 'APPROVE' } })).status).toBe(409);
    const me = await json<{ actingFor: string[] }>(await f.req('GET', '/me', { token: plt }));
    expect(me.actingFor).toEqual([f.seed.employees.kepalaBidang]);
    expect((await f.req('DELETE', `${base}/delegations/${d.id}`, { token: admin })).status).toBe(200);
    expect((await f.req('POST', `/evaluations/${ev.id}/targets/decision`, { token: plt, body: { decision: 'APPROVE' } })).status).toBe(403);
  });

  it('rule sets: draft from a pack, edit, validate (422 with pointers), publish (immutable, hashed), diff, simulate', async () => {
    const created = await f.req('POST', `${base}/rule-sets`, {
      token: admin,
      body: { key: 'gayungan-uji', name: 'Aturan Gayungan', from: { pack: 'gayungan' } },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { ruleSet, version } = await json<{ ruleSet: { id: string }; version: { id: string; document: Record<string, unknown> } }>(created);
    const vPath = `${base}/rule-sets/${ruleSet.id}/versions/${version.id}`;
    expect((await f.req('POST', `${vPath}/validate`, { token: admin })).status).toBe(200);

    const broken = { ...version.document, rules: [{ name: 'rusak', conditions: { all: [{ fact: 'tidakAda', operator: 'equal', value: 1 }] } }] };
    const edited = await f.req('PUT', vPath, { token: admin, body: { document: broken } });
    expect(edited.status).toBe(200);
    expect((await json<{ validation: { ok: boolean } }>(edited)).validation.ok).toBe(false);
    const invalid = await f.req('POST', `${vPath}/validate`, { token: admin });
    expect(invalid.status).toBe(422);
    const p = await json<Problem>(invalid);
    expect(p.code).toBe('RULESET_INVALID');
    expect(p.errors!.every((e) => e.pointer.startsWith('/'))).toBe(true);
    expect(p.errors!.some((e) => e.pointer.startsWith('/rules/0'))).toBe(true);
    expect((await f.req('POST', `${vPath}/publish`, { token: admin })).status).toBe(422);

    await f.req('PUT', vPath, { token: admin, body: { document: version.document } });
    const pub = await f.req('POST', `${vPath}/publish`, { token: admin });
    expect(pub.status).toBe(200);
    expect((await json<{ contentHash: string; status: string }>(pub)).contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await f.req('PUT', vPath, { token: admin, body: { document: version.document } })).status).toBe(409);

    const v2 = await json<{ id: string }>(await f.req('POST', `${base}/rule-sets/${ruleSet.id}/versions`, { token: admin, body: {} }));
    await f.req('PUT', `${base}/rule-sets/${ruleSet.id}/versions/${v2.id}`, {
      token: admin,
      body: { document: { ...version.document, name: 'Aturan Gayungan v2' } },
    });
    const diff = await json<{ changes: { pointer: string; op: string }[] }>(
      await f.req('GET', `${base}/rule-sets/${ruleSet.id}/diff?from=${version.id}&to=${v2.id}`, { token: admin }),
    );
    expect(diff.changes).toEqual([expect.objectContaining({ pointer: '/name', op: 'replace' })]);

    const sim = await f.req('POST', `${vPath}/simulate`, {
      token: admin,
      body: {
        subjects: [
          { id: 'a', facts: { hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS' } },
          { id: 'b', facts: { hasilKerjaRating: 'DI_BAWAH', perilakuRating: 'SESUAI' } },
        ],
      },
    });
    expect(sim.status, await sim.clone().text()).toBe(200);
    const simBody = await json<{ total: number; results: { id: string; predikat: string }[] }>(sim);
    expect(simBody.total).toBe(2);
    expect(simBody.results.find((r) => r.id === 'b')!.predikat).toBe('BUTUH_PERBAIKAN');
    const badFacts = await f.req('POST', `${vPath}/simulate`, { token: admin, body: { subjects: [{ id: 'x', facts: { nope: 1 } }] } });
    expect(badFacts.status).toBe(422);
  });

  it('cycles: only a published version of the region; a second year with another version → 409 only for the same year', async () => {
    const draft = await json<{ version: { id: string } }>(
      await f.req('POST', `${base}/rule-sets`, { token: admin, body: { key: 'draf', name: 'Draf saja', from: { pack: 'national' } } }),
    );
    const res = await f.req('POST', `${base}/cycles`, { token: admin, body: { year: 2031, name: 'Siklus draf', ruleSetVersionId: draft.version.id } });
    expect(res.status).toBe(422);
    expect((await json<Problem>(res)).errors![0]).toMatchObject({ pointer: '/ruleSetVersionId', code: 'not_published' });
  });

  it('the audit chain verifies', async () => {
    const res = await json<{ ok: boolean; checked: number }>(await f.req('GET', `${base}/audit/verify`, { token: admin }));
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThan(3);
  });
});
