/**
 * The pejabat penilai's and the atasan pejabat penilai's steps in the year story. Each step is what the supervisor
 * pages (src/routes/supervisor) offer; until a page is there, its step is taken through the API as that user (the
 * same request the page sends), so the ASN's part of the story runs in the browser from the start.
 */
import type { BrowserFixture } from '@kinerja/testing/browser';
import { NIP, until, type System } from './system.js';

type Rating = 'DI_BAWAH' | 'SESUAI' | 'DI_ATAS';

export interface SupervisorDesk {
  returnSkp(evaluationId: string, note: string): Promise<void>;
  approveSkp(evaluationId: string): Promise<void>;
  ratePeriod(evaluationId: string, period: number, rating: Rating, feedback: string): Promise<void>;
  askRevision(evaluationId: string, period: number, feedback: string): Promise<void>;
  rateYear(evaluationId: string): Promise<void>;
  /** as the atasan pejabat penilai */
  requestResponse(evaluationId: string): Promise<void>;
  /** as the rater, answering the atasan */
  respond(evaluationId: string, response: string): Promise<void>;
  /** as the atasan: revise the result */
  decideRevise(evaluationId: string): Promise<void>;
}

const PERILAKU = {
  BERORIENTASI_PELAYANAN: 'DI_ATAS',
  AKUNTABEL: 'SESUAI',
  KOMPETEN: 'DI_ATAS',
  HARMONIS: 'SESUAI',
  LOYAL: 'SESUAI',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
} as const;
export const REVISED_PERILAKU = { ...PERILAKU, AKUNTABEL: 'DI_ATAS', HARMONIS: 'DI_ATAS' } as const;

export async function supervisorDesk(sys: System, _browser: BrowserFixture): Promise<SupervisorDesk> {
  /** the user's request, retried while the workflow has not reached the step yet (409) */
  const act = async (who: string, what: string, path: string, body?: unknown) => {
    const token = await sys.login(who);
    await until(what, async () => {
      const r = await sys.call('POST', path, { token, ...(body !== undefined ? { body } : {}) });
      if (r.status === 200) return true;
      if (r.status !== 409) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return false;
    });
  };
  return {
    returnSkp: (id, note) => act(NIP.supervisor, 'returning the SKP', `/evaluations/${id}/targets/decision`, { decision: 'RETURN', note }),
    approveSkp: (id) => act(NIP.supervisor, 'approving the SKP', `/evaluations/${id}/targets/decision`, { decision: 'APPROVE', note: 'Sesuai rencana strategis.' }),
    ratePeriod: (id, period, rating, feedback) => act(NIP.supervisor, `rating period ${period}`, `/evaluations/${id}/periods/${period}/review`, { decision: 'RATE', rating, feedback }),
    askRevision: (id, period, feedback) =>
      act(NIP.supervisor, `asking for a revision of period ${period}`, `/evaluations/${id}/periods/${period}/review`, { decision: 'REQUEST_REVISION', feedback }),
    rateYear: (id) => act(NIP.supervisor, 'the annual rating', `/evaluations/${id}/annual-rating`, { hasilKerja: 'SESUAI', perilaku: PERILAKU, notes: 'Kinerja baik sepanjang tahun.' }),
    requestResponse: (id) => act(NIP.atasan, 'asking the rater for a response', `/evaluations/${id}/appeal/request-response`),
    respond: (id, response) => act(NIP.supervisor, 'the rater\u2019s response', `/evaluations/${id}/appeal/response`, { response }),
    decideRevise: (id) =>
      act(NIP.atasan, 'the keberatan decision', `/evaluations/${id}/appeal/decision`, {
        decision: 'REVISE',
        reasons: 'Bukti capaian mendukung keberatan.',
        hasilKerja: 'DI_ATAS',
        perilaku: REVISED_PERILAKU,
      }),
  };
}
