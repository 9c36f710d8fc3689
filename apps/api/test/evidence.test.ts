/**
 * Evidence upload and download on the real app and database, the files in a real local directory: who may upload
 * (like submitting the report) and download (like viewing the evaluation), the type allowlist checked against the
 * bytes, the size limit (above the 1 MiB JSON limit), content addressing with an atomic write, the download's headers,
 * and the report's check of its file references.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeriodReportInput } from '@kinerja/domain';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEvidenceFiles } from '../src/routes/evidence.js';
import { fakeEvaluation, json, NIPS, setup, type Fixture } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Problem {
  status: number;
  code: string;
  errors?: { pointer: string; code: string; message: string }[];
}

const PERIODIC = { phase: 'PERIODIC' } as const;

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('evidence files (%s)', (kind) => {
  let f: Fixture;
  let small: Fixture;
  let quota: Fixture;
  let dir: string;
  let smallDir: string;
  let evaluationId: string;
  let otherEvaluationId: string;
  const t = {} as Record<'asn' | 'sup' | 'rev' | 'staff2' | 'lain' | 'admin', string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinerja-files-'));
    smallDir = await mkdtemp(join(tmpdir(), 'kinerja-files-small-'));
    f = await setup(kind, { config: { fileStore: { kind: 'local', dir } } });
    quota = await setup(kind, { config: { fileStore: { kind: 'local', dir: smallDir }, maxBytesPerEvaluation: 2000 } });
    small = await setup(kind, { config: { fileStore: { kind: 'local', dir: smallDir }, maxUploadBytes: 1000, maxFilesPerEvaluation: 2 } });
    evaluationId = (await fakeEvaluation(f, 'staff1', PERIODIC)).id;
    otherEvaluationId = (await fakeEvaluation(f, 'staff2', PERIODIC)).id;
    t.asn = await f.login(NIPS.staff1);
    t.sup = await f.login(NIPS.kepalaBidang);
    t.rev = await f.login(NIPS.kepalaDinas);
    t.staff2 = await f.login(NIPS.staff2);
    t.lain = await f.login(NIPS.lainStaff);
    t.admin = await f.login('admin');
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    await small?.close();
    await quota?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(smallDir, { recursive: true, force: true });
  });

  function upload(
    fx: Fixture,
    token: string | undefined,
    file: { name: string; type: string; bytes: Uint8Array<ArrayBuffer> } | null,
    opts: { evaluationId?: string; period?: number } = {},
  ) {
    const body = new FormData();
    if (file) body.append('file', new File([file.bytes], file.name, { type: file.type }));
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    return Promise.resolve(
      fx.app.request(`/evaluations/${opts.evaluationId ?? evaluationId}/periods/${opts.period ?? 1}/evidence`, { method: 'POST', headers, body }),
    );
  }
  const download = (token: string | undefined, fileId: string, evId = evaluationId) =>
    Promise.resolve(f.app.request(`/evaluations/${evId}/evidence/${fileId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }));

  async function expectFileProblem(res: Response, status: number, code: string) {
    const body = await json<Problem>(res);
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.errors?.map((e) => `${e.pointer}:${e.code}`)).toEqual([`/file:${code}`]);
    return body;
  }

  it('the ASN uploads a PNG: stored once under its SHA-256 in the directory, described in the database', async () => {
    const res = await upload(f, t.asn, { name: 'foto kegiatan.png', type: 'image/png', bytes: PNG });
    const body = await json<{ fileId: string; name: string; contentType: string; sizeBytes: number; sha256: string; period: number }>(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ name: 'foto kegiatan.png', contentType: 'image/png', sizeBytes: PNG.byteLength, sha256: sha(PNG), period: 1 });
    const row = await f.db.prisma.evidenceFile.findUniqueOrThrow({ where: { id: body.fileId } });
    expect(row).toMatchObject({ evaluationId, regionId: f.seed.regionId, storageKey: `sha256/${sha(PNG).slice(0, 2)}/${sha(PNG)}`, sizeBytes: PNG.byteLength });
    expect(new Uint8Array(await readFile(join(dir, row.storageKey)))).toEqual(PNG);

    // the same bytes again: another id, the same stored file, nothing left in tmp/
    const again = await json<{ fileId: string }>(await upload(f, t.asn, { name: 'salinan.png', type: 'image/png', bytes: PNG }));
    expect(again.fileId).not.toBe(body.fileId);
    expect(await readdir(join(dir, 'sha256', sha(PNG).slice(0, 2)))).toEqual([sha(PNG)]);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('a file larger than the 1 MiB JSON body limit is accepted up to the upload limit', async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set(PDF);
    const res = await upload(f, t.asn, { name: 'rekap tahunan.pdf', type: 'application/pdf', bytes: big });
    const body = await json<{ sizeBytes: number; sha256: string }>(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ sizeBytes: big.byteLength, sha256: sha(big) });
  });

  it('download: owner, pejabat penilai, atasan and the region admin get the bytes with safe headers; a stranger gets 404', async () => {
    const up = await json<{ fileId: string }>(await upload(f, t.asn, { name: '../../Laporan Maret – "final".pdf', type: 'application/pdf', bytes: PDF }));
    for (const token of [t.asn, t.sup, t.rev, t.admin]) {
      const res = await download(token, up.fileId);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; filename="Laporan Maret _ _final_.pdf"; filename\*=UTF-8''/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('Laporan Maret – "final".pdf');
    }
    for (const token of [t.staff2, t.lain]) expect((await download(token, up.fileId)).status).toBe(404);
    expect((await download(undefined, up.fileId)).status).toBe(401);
    // the file id under another evaluation (one the caller may view) is not found either
    expect((await download(t.staff2, up.fileId, otherEvaluationId)).status).toBe(404);
    expect((await download(t.asn, 'no-such-file')).status).toBe(404);
  });

  it('upload is authorised like submitting the report: supervisor 403, strangers 404, signed out 401', async () => {
    const file = { name: 'a.png', type: 'image/png', bytes: PNG };
    expect((await upload(f, t.sup, file)).status).toBe(403);
    expect((await upload(f, t.admin, file)).status).toBe(403);
    expect((await upload(f, t.staff2, file)).status).toBe(404);
    expect((await upload(f, t.lain, file)).status).toBe(404);
    expect((await upload(f, undefined, file)).status).toBe(401);
    expect((await upload(f, t.asn, file, { evaluationId: 'no-such-evaluation' })).status).toBe(404);
  });

  it('an upload is for a report that can be sent: PERIODIC only (409 WRONG_PHASE), a period of the cycle (404)', async () => {
    const file = { name: 'a.pdf', type: 'application/pdf', bytes: PDF };
    // the test rule set is quarterly: period 5 exists on a monthly cycle only
    const outside = await json<Problem>(await upload(f, t.asn, file, { period: 5 }));
    expect(outside).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await upload(f, t.asn, file, { period: 4 })).status).toBe(201);
    for (const phase of ['TARGET_SETTING', 'ANNUAL_RATING', 'FINAL'] as const) {
      await f.db.prisma.evaluation.update({ where: { id: evaluationId }, data: { phase } });
      const res = await upload(f, t.asn, file);
      expect(await json<Problem>(res)).toMatchObject({ status: 409, code: 'WRONG_PHASE' });
    }
    await f.db.prisma.evaluation.update({ where: { id: evaluationId }, data: { phase: 'PERIODIC' } });
    expect(await f.db.prisma.evidenceFile.count({ where: { evaluationId, period: 5 } })).toBe(0);
  });

  it('refusals name the file: missing, empty, a type not allowed, bytes that are not the declared type', async () => {
    await expectFileProblem(await upload(f, t.asn, null), 422, 'required');
    await expectFileProblem(await upload(f, t.asn, { name: 'kosong.pdf', type: 'application/pdf', bytes: new Uint8Array() }), 422, 'empty');
    const exe = await expectFileProblem(
      await upload(f, t.asn, { name: 'setup.exe', type: 'application/x-msdownload', bytes: new Uint8Array([0x4d, 0x5a, 0x90]) }),
      415,
      'type_not_allowed',
    );
    expect(exe.errors?.[0]?.message).toContain('.pdf');
    await expectFileProblem(await upload(f, t.asn, { name: 'foto.png', type: 'image/png', bytes: PDF }), 422, 'content_mismatch');
    await expectFileProblem(
      await upload(f, t.asn, { name: 'data.csv', type: 'text/csv', bytes: new Uint8Array([0x61, 0x2c, 0xff, 0xfe, 0x00]) }),
      422,
      'content_mismatch',
    );
    // a ZIP that is no Word document
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('[Content_Types].xml xl/workbook.xml')]);
    await expectFileProblem(
      await upload(f, t.asn, { name: 'surat.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: zip }),
      422,
      'content_mismatch',
    );
    // an HTML page declared as text is still refused when its name says HTML and it has no type
    await expectFileProblem(
      await upload(f, t.asn, { name: 'x.html', type: '', bytes: new TextEncoder().encode('<script>alert(1)</script>') }),
      415,
      'type_not_allowed',
    );
    // a multipart body that is not one
    const garbled = await f.app.request(`/evaluations/${evaluationId}/periods/1/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.asn}`, 'content-type': 'multipart/form-data; boundary=batas' },
      body: '--batas\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 tanpa penutup',
    });
    await expectFileProblem(garbled, 422, 'malformed');
    // a JSON body is not an upload
    const res = await f.req('POST', `/evaluations/${evaluationId}/periods/1/evidence`, { token: t.asn, body: { file: 'x' } });
    expect(res.status).toBe(415);
    expect(await json(res)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await f.db.prisma.evidenceFile.count({ where: { name: { in: ['kosong.pdf', 'setup.exe', 'foto.png', 'data.csv', 'surat.docx', 'x.html'] } } })).toBe(
      0,
    );
  });

  it('accepted types by their signatures: CSV without a declared type, a spreadsheet as Office, an OpenDocument text', async () => {
    const csv = await upload(f, t.asn, { name: 'capaian.csv', type: '', bytes: new TextEncoder().encode('bulan,jumlah\nJanuari,330\n') });
    expect(await json(csv)).toMatchObject({ contentType: 'text/csv' });
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('[Content_Types].xml xl/workbook.xml')]);
    const x = await upload(f, t.asn, { name: 'rekap.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: xlsx });
    expect(x.status).toBe(201);
    const odtType = 'application/vnd.oasis.opendocument.text';
    const header = new Uint8Array(30);
    header.set([0x50, 0x4b, 0x03, 0x04]);
    const odt = new Uint8Array([...header, ...new TextEncoder().encode(`mimetype${odtType}`)]);
    expect((await upload(f, t.asn, { name: 'nota.odt', type: odtType, bytes: odt })).status).toBe(201);
  });

  it('the size limit: a file above UPLOAD_MAX_BYTES answers 413 naming the file, in the route and in the body limit', async () => {
    const asn = await small.login(NIPS.staff1);
    const ev = (await fakeEvaluation(small, 'staff1', PERIODIC)).id;
    const over = new Uint8Array(1001);
    over.set(PDF);
    await expectFileProblem(await upload(small, asn, { name: 'besar.pdf', type: 'application/pdf', bytes: over }, { evaluationId: ev }), 413, 'too_big');
    const far = new Uint8Array(200 * 1024);
    far.set(PDF);
    await expectFileProblem(await upload(small, asn, { name: 'besar.pdf', type: 'application/pdf', bytes: far }, { evaluationId: ev }), 413, 'too_big');
    const fits = new Uint8Array(1000);
    fits.set(PDF);
    expect((await upload(small, asn, { name: 'pas.pdf', type: 'application/pdf', bytes: fits }, { evaluationId: ev })).status).toBe(201);
    // and the number of files an evaluation holds (two here)
    expect((await upload(small, asn, { name: 'dua.pdf', type: 'application/pdf', bytes: PDF }, { evaluationId: ev })).status).toBe(201);
    await expectFileProblem(await upload(small, asn, { name: 'tiga.pdf', type: 'application/pdf', bytes: PDF }, { evaluationId: ev }), 409, 'too_many_files');
  });

  it("the evaluation's byte quota: an upload that would take the sum of its files past it answers 409 naming the file", async () => {
    const asn = await quota.login(NIPS.staff1);
    const ev = (await fakeEvaluation(quota, 'staff1', PERIODIC)).id;
    const part = (n: number) => {
      const b = new Uint8Array(n);
      b.set(PDF);
      return { name: 'bukti.pdf', type: 'application/pdf', bytes: b };
    };
    expect((await upload(quota, asn, part(1200), { evaluationId: ev })).status).toBe(201);
    expect((await upload(quota, asn, part(800), { evaluationId: ev, period: 2 })).status).toBe(201);
    await expectFileProblem(await upload(quota, asn, part(PDF.byteLength), { evaluationId: ev }), 409, 'quota_exceeded');
    expect(await quota.db.prisma.evidenceFile.count({ where: { evaluationId: ev } })).toBe(2);
  });

  it("the report's file references: this evaluation's files pass with their stored type, size and hash; others are named", async () => {
    const mine = await json<{ fileId: string }>(await upload(f, t.asn, { name: 'bukti.pdf', type: 'application/pdf', bytes: PDF }));
    const staff2 = await f.login(NIPS.staff2);
    const theirs = await json<{ fileId: string }>(
      await upload(f, staff2, { name: 'lain.pdf', type: 'application/pdf', bytes: PDF }, { evaluationId: otherEvaluationId }),
    );
    const ok = await resolveEvidenceFiles(
      f.db.prisma,
      evaluationId,
      1,
      [
        { kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/rekap' },
        { kind: 'FILE', name: 'Bukti kegiatan', fileId: mine.fileId, mimeType: 'image/png', sizeBytes: 1 },
      ],
      'id',
    );
    expect(ok[1]).toEqual({
      kind: 'FILE',
      name: 'Bukti kegiatan',
      fileId: mine.fileId,
      mimeType: 'application/pdf',
      sizeBytes: PDF.byteLength,
      sha256: sha(PDF),
    });
    const later = await json<{ fileId: string }>(await upload(f, t.asn, { name: 'triwulan2.pdf', type: 'application/pdf', bytes: PDF }, { period: 2 }));
    const refused = await resolveEvidenceFiles(
      f.db.prisma,
      evaluationId,
      1,
      [
        { kind: 'FILE', name: 'a', fileId: mine.fileId },
        { kind: 'FILE', name: 'b', fileId: theirs.fileId },
        { kind: 'FILE', name: 'c', fileId: 'no-such-file' },
        { kind: 'FILE', name: 'd', fileId: later.fileId },
      ],
      'en',
    ).then(
      () => null,
      (err: unknown) => err as { code: string; errors: { pointer: string; code: string }[] },
    );
    expect(refused?.code).toBe('VALIDATION_FAILED');
    expect(refused?.errors.map((e) => `${e.pointer}:${e.code}`)).toEqual([
      '/evidence/1/fileId:unknown_file',
      '/evidence/2/fileId:unknown_file',
      '/evidence/3/fileId:other_period_file',
    ]);
    // the same file passes on the report of the period it was uploaded for
    const own = await resolveEvidenceFiles(f.db.prisma, evaluationId, 2, [{ kind: 'FILE', name: 'd', fileId: later.fileId }], 'id');
    expect(own[0]).toMatchObject({ fileId: later.fileId, sha256: sha(PDF) });
  });

  it('the report schema: a FILE names its fileId, a LINK its url; neither takes the other', () => {
    const paths = (evidence: unknown[]) => {
      const r = PeriodReportInput.safeParse({ realisations: [{ indicatorId: 'i', value: 1 }], evidence });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${i.code}`);
    };
    expect(
      paths([
        { kind: 'FILE', name: 'a', fileId: 'f-1' },
        { kind: 'LINK', name: 'b', url: 'https://example.go.id/b' },
      ]),
    ).toEqual([]);
    expect(paths([{ kind: 'FILE', name: 'a' }])).toEqual(['evidence.0.fileId:invalid_type']);
    expect(paths([{ kind: 'FILE', name: 'a', fileId: 'f-1', url: 'https://example.go.id/a' }])).toEqual(['evidence.0:unrecognized_keys']);
    expect(paths([{ kind: 'LINK', name: 'b' }])).toEqual(['evidence.0.url:invalid_type']);
  });

  it('/openapi.json documents the upload as multipart/form-data with a binary file and the answer', async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, unknown> }>>;
    }>(await f.req('GET', '/openapi.json'));
    const op = doc.paths['/evaluations/{id}/periods/{period}/evidence']?.post;
    expect(Object.keys(op?.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    expect(JSON.stringify(op?.requestBody?.content['multipart/form-data']?.schema)).toContain('EvidenceUploadForm');
    expect(Object.keys(op?.responses ?? {})).toContain('201');
    expect(doc.paths['/evaluations/{id}/evidence/{fileId}']?.get).toBeDefined();
  });
});
