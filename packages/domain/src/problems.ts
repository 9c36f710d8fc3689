/**
 * Stable problem codes (RFC 9457 `code` extension) with messages in Bahasa Indonesia (default) and English.
 * The API maps every error to one of these; clients switch on `code`, people read `detail`.
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 422, id: 'Data yang dikirim tidak valid.', en: 'The submitted data is invalid.' },
  MALFORMED_JSON: { status: 400, id: 'Badan permintaan bukan JSON yang valid.', en: 'The request body is not valid JSON.' },
  PAYLOAD_TOO_LARGE: { status: 413, id: 'Badan permintaan terlalu besar.', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, id: 'Jenis konten tidak didukung.', en: 'Unsupported content type.' },
  UNAUTHENTICATED: { status: 401, id: 'Anda harus masuk terlebih dahulu.', en: 'Authentication is required.' },
  INVALID_CREDENTIALS: { status: 401, id: 'NIP/nama pengguna atau kata sandi salah.', en: 'Wrong NIP/username or password.' },
  TOKEN_EXPIRED: { status: 401, id: 'Sesi telah berakhir; silakan masuk kembali.', en: 'The session has expired; sign in again.' },
  ACCOUNT_LOCKED: { status: 429, id: 'Terlalu banyak percobaan masuk; coba lagi nanti.', en: 'Too many sign-in attempts; try again later.' },
  RATE_LIMITED: { status: 429, id: 'Terlalu banyak permintaan; coba lagi nanti.', en: 'Too many requests; try again later.' },
  FORBIDDEN: { status: 403, id: 'Anda tidak berwenang melakukan tindakan ini.', en: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, id: 'Data tidak ditemukan.', en: 'Not found.' },
  CONFLICT: { status: 409, id: 'Tindakan bertentangan dengan keadaan saat ini.', en: 'The action conflicts with the current state.' },
  WRONG_PHASE: { status: 409, id: 'Tindakan ini tidak tersedia pada tahap penilaian saat ini.', en: 'This action is not available in the current phase.' },
  DEADLINE_PASSED: { status: 409, id: 'Batas waktu telah lewat.', en: 'The deadline has passed.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    id: 'Idempotency-Key sudah dipakai untuk permintaan lain.',
    en: 'The Idempotency-Key was used for a different request.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    id: 'Permintaan dengan Idempotency-Key ini sedang diproses.',
    en: 'A request with this Idempotency-Key is in progress.',
  },
  RULESET_INVALID: { status: 422, id: 'Aturan tidak valid.', en: 'The rule set is invalid.' },
  SIMULATION_TOO_LARGE: { status: 413, id: 'Simulasi terlalu besar untuk dijalankan langsung.', en: 'The simulation is too large to run inline.' },
  SERVICE_UNAVAILABLE: { status: 503, id: 'Layanan sedang tidak tersedia.', en: 'The service is unavailable.' },
  INTERNAL: { status: 500, id: 'Terjadi kesalahan pada server.', en: 'An internal error occurred.' },
} as const satisfies Record<string, { status: number; id: string; en: string }>;

export type ProblemCode = keyof typeof PROBLEMS;
export type Lang = 'id' | 'en';

/** Pick 'en' only when the Accept-Language header prefers English over Indonesian. */
export function negotiateLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'id';
  const prefs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((p) => p.tag && !Number.isNaN(p.q))
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag.startsWith('id')) return 'id';
    if (p.tag.startsWith('en')) return 'en';
  }
  return 'id';
}
