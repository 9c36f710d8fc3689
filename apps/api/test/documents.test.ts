/**
 * The SKP and evaluation documents as PDF on the real app and database, read back with a real PDF parser (pdf.js):
 * the identity of the employee, the pejabat penilai and the atasan, the RHK with indicators and targets, the
 * realisations, ratings, BerAKHLAK and predikat; Bahasa Indonesia by default, English when asked; authorised like
 * viewing the evaluation.
 */
import { dbKinds } from '@kinerja/testing';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, NIPS, setup, type Fixture } from './helpers.js';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  await doc.destroy();
  // pdf.js returns a text run per line piece (and pdfmake may break a line after "/"): compare with single spaces
  return pages.join('\n').replace(/\s+/g, ' ').replace(/\/ /g, '/');
}

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('documents (%s)', (kind) => {
  let f: Fixture;
  let evaluationId: string;
  let bare: string;

  beforeAll(async () => {
    f = await setup(kind);
    const p = f.db.prisma;
    const ev = await fakeEvaluation(f, 'staff1');
    evaluationId = ev.id;
    bare = (await fakeEvaluation(f, 'staff2')).id;
    await p.cycle.update({
      where: { id: ev.cycleId },
      data: {
        calendar: {
          timeZone: 'Asia/Jakarta',
          compressed: false,
          holidays: [],
          periods: ['I', 'II', 'III', 'IV'].map((q, i) => ({
            period: i + 1,
            label: `Triwulan ${q} 2020`,
            startsAt: '2020-01-01T00:00:00+07:00',
            endsAt: '2020-04-01T00:00:00+07:00',
          })),
        },
      },
    });
    // the superior's SKP, whose RHK the employee's RHK supports (intervensi)
    const supEv = await p.evaluation.create({
      data: {
        cycleId: ev.cycleId,
        regionId: ev.regionId,
        employeeId: f.seed.employees.kepalaBidang,
        unitId: f.seed.units.bidang,
        supervisorId: f.seed.employees.kepalaDinas,
        workflowId: `evaluation/none-${ev.id}`,
      },
    });
    const supSkp = await p.skp.create({ data: { evaluationId: supEv.id, status: 'APPROVED' } });
    const parent = await p.rhk.create({ data: { skpId: supSkp.id, position: 0, title: 'Meningkatnya kualitas pelayanan administrasi kependudukan' } });
    const skp = await p.skp.create({ data: { evaluationId: ev.id, status: 'APPROVED', decidedAt: new Date('2020-01-20T03:00:00Z') } });
    const rhk = await p.rhk.create({
      data: { skpId: skp.id, position: 0, title: 'Terlayaninya penerbitan dokumen kependudukan tepat waktu', parentRhkId: parent.id },
    });
    const qty = await p.indicator.create({
      data: { rhkId: rhk.id, position: 0, name: 'Jumlah dokumen yang diterbitkan', kind: 'QUANTITY', target: 1200, unit: 'dokumen' },
    });
    const time = await p.indicator.create({ data: { rhkId: rhk.id, position: 1, name: 'Waktu penerbitan rata-rata', kind: 'TIME', target: 3, unit: 'hari' } });
    for (const period of [1, 2]) {
      await p.periodReport.create({
        data: {
          evaluationId: ev.id,
          period,
          status: 'REVIEWED',
          rating: period === 1 ? 'SESUAI' : 'DI_ATAS',
          realisations: [
            { indicatorId: qty.id, value: period === 1 ? 330 : 345 },
            { indicatorId: time.id, value: 2.5 },
          ],
          evidence: [],
        },
      });
      await p.review.create({
        data: {
          evaluationId: ev.id,
          kind: 'PERIOD',
          period,
          reviewerId: f.seed.employees.kepalaBidang,
          decision: 'RATE',
          feedback: `Umpan balik triwulan ${period}: pertahankan`,
        },
      });
    }
    await p.review.create({
      data: {
        evaluationId: ev.id,
        kind: 'ANNUAL',
        reviewerId: f.seed.employees.kepalaBidang,
        decision: 'RATE',
        hasilKerja: 'DI_ATAS',
        perilaku: {
          BERORIENTASI_PELAYANAN: 'DI_ATAS',
          AKUNTABEL: 'SESUAI',
          KOMPETEN: 'SESUAI',
          HARMONIS: 'SESUAI',
          LOYAL: 'SESUAI',
          ADAPTIF: 'DI_BAWAH',
          KOLABORATIF: 'SESUAI',
        },
      },
    });
    await p.score.create({
      data: {
        evaluationId: ev.id,
        kind: 'FINAL',
        hasilKerja: 'DI_ATAS',
        perilaku: 'SESUAI',
        predikat: 'BAIK',
        numericScore: 88,
        flags: [],
        facts: {},
        trace: {},
        ruleSetVersionId: f.seed.ruleSetVersionId,
      },
    });
  }, 180_000);
  afterAll(() => f?.close());

  const fetchPdf = async (path: string, token: string, lang?: string) => {
    const res = await f.app.request(path, { headers: { authorization: `Bearer ${token}`, ...(lang ? { 'accept-language': lang } : {}) } });
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  it('the SKP: identity with pangkat/golongan and jabatan, pejabat penilai and atasan, RHK with the intervened RHK, indicators and targets, BerAKHLAK', async () => {
    const token = await f.login(NIPS.staff1);
    const { res, bytes } = await fetchPdf(`/evaluations/${evaluationId}/documents/skp.pdf`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`SKP-${NIPS.staff1}-2020.pdf`);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const text = await pdfText(bytes);
    for (const s of [
      'SASARAN KINERJA PEGAWAI',
      'KOTA DEMO',
      'PERIODE PENILAIAN: 1 JANUARI S.D. 31 DESEMBER 2020',
      'PEGAWAI YANG DINILAI',
      'Andi Pratama, S.Kom.',
      NIPS.staff1,
      'Penata Muda, III/a',
      'Pranata Komputer Ahli Pertama',
      'Bidang Pelayanan Pendaftaran Penduduk',
      'PEJABAT PENILAI KINERJA',
      'Siti Rahmawati, S.E.',
      'Pembina, IV/a',
      'ATASAN PEJABAT PENILAI KINERJA',
      'Drs. Bambang Santoso, M.Si.',
      'Meningkatnya kualitas pelayanan administrasi kependudukan',
      'Terlayaninya penerbitan dokumen kependudukan tepat waktu',
      'Jumlah dokumen yang diterbitkan',
      '1.200 dokumen',
      'Waktu',
      '3 hari',
      'Berorientasi Pelayanan',
      'Kolaboratif',
      'Disetujui',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('the evaluation document: realisations per period, period ratings and feedback, BerAKHLAK ratings, the predikat', async () => {
    const token = await f.login(NIPS.kepalaBidang);
    const { res, bytes } = await fetchPdf(`/evaluations/${evaluationId}/documents/evaluation.pdf`, token);
    expect(res.status).toBe(200);
    const text = await pdfText(bytes);
    for (const s of [
      'DOKUMEN EVALUASI KINERJA PEGAWAI',
      'Andi Pratama, S.Kom.',
      'Penata Muda, III/a',
      'Siti Rahmawati, S.E.',
      'Drs. Bambang Santoso, M.Si.',
      'Terlayaninya penerbitan dokumen kependudukan tepat waktu',
      'Triwulan I 2020: 330',
      'Triwulan II 2020: 345',
      'Triwulan I 2020: 2,5',
      'Umpan balik triwulan 2: pertahankan',
      'Di Bawah Ekspektasi',
      'RATING HASIL KERJA Di Atas Ekspektasi',
      'RATING PERILAKU KERJA Sesuai Ekspektasi',
      'PREDIKAT KINERJA PEGAWAI Baik',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('belum final');
  });

  it('in English when Accept-Language prefers it', async () => {
    const token = await f.login(NIPS.staff1);
    const text = await pdfText((await fetchPdf(`/evaluations/${evaluationId}/documents/evaluation.pdf`, token, 'en-GB,en;q=0.9')).bytes);
    for (const s of [
      'EMPLOYEE PERFORMANCE EVALUATION',
      'ASSESSING OFFICIAL (PEJABAT PENILAI)',
      'Realisation',
      'Quarter II 2020: 345',
      'Above expectations',
      'PERFORMANCE PREDIKAT Baik (good)',
    ])
      expect(text).toContain(s);
  });

  it('an evaluation without an SKP yet still has its document; the predikat is blank', async () => {
    const token = await f.login(NIPS.staff2);
    const text = await pdfText((await fetchPdf(`/evaluations/${bare}/documents/evaluation.pdf`, token)).bytes);
    expect(text).toContain('Dewi Lestari, A.Md.');
    expect(text).toContain('Pengatur, II/c');
    expect(text).toContain('SKP belum disusun.');
    expect(text).toContain('PREDIKAT KINERJA PEGAWAI -');
  });

  it('authorised like viewing: the atasan and the admin may, a colleague and another region get 404', async () => {
    for (const who of [NIPS.kepalaDinas, 'admin']) {
      expect((await fetchPdf(`/evaluations/${evaluationId}/documents/skp.pdf`, await f.login(who))).res.status).toBe(200);
    }
    for (const who of [NIPS.staff2, NIPS.lainStaff]) {
      for (const doc of ['skp', 'evaluation'])
        expect((await fetchPdf(`/evaluations/${evaluationId}/documents/${doc}.pdf`, await f.login(who))).res.status).toBe(404);
    }
    expect((await f.app.request(`/evaluations/${evaluationId}/documents/skp.pdf`)).status).toBe(401);
  });
});
