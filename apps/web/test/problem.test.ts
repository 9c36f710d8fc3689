import { describe, expect, it } from 'vitest';
import { ApiProblem, fieldMessages, pointer, problemFrom, unplacedMessages } from '../src/api/problem';

const validation = new ApiProblem({
  status: 422,
  code: 'VALIDATION_FAILED',
  detail: 'Data yang dikirim tidak valid.',
  requestId: 'r-1',
  errors: [
    { pointer: '/rhk/0/title', field: 'rhk.0.title', code: 'too_small', message: 'minimal 3 karakter' },
    { pointer: '/rhk/0/indicators/1/target', field: 'rhk.0.indicators.1.target', code: 'too_small', message: 'tidak boleh negatif' },
    { pointer: '/rhk/0/title', field: 'rhk.0.title', code: 'custom', message: 'judul ganda' },
    { pointer: '/rhk', field: 'rhk', code: 'too_big', message: 'paling banyak 30 RHK' },
  ],
});

describe('pointer', () => {
  it('writes RFC 6901 pointers, escaping ~ and /', () => {
    expect(pointer('rhk', 0, 'indicators', 1, 'target')).toBe('/rhk/0/indicators/1/target');
    expect(pointer('a/b', 'c~d')).toBe('/a~1b/c~0d');
  });
});

describe('field messages', () => {
  it('groups the messages by the pointer they name', () => {
    const map = fieldMessages(validation);
    expect(map.get(pointer('rhk', 0, 'title'))).toEqual(['minimal 3 karakter', 'judul ganda']);
    expect(map.get(pointer('rhk', 0, 'indicators', 1, 'target'))).toEqual(['tidak boleh negatif']);
  });
  it('keeps the messages no field shows', () => {
    const shown = new Set([pointer('rhk', 0, 'title'), pointer('rhk', 0, 'indicators', 1, 'target')]);
    expect(unplacedMessages(validation, shown).map((e) => e.message)).toEqual(['paling banyak 30 RHK']);
  });
  it('has none for an error that is not a problem', () => {
    expect(fieldMessages(new Error('x')).size).toBe(0);
    expect(unplacedMessages(null, new Set())).toEqual([]);
  });
});

describe('problemFrom', () => {
  it('reads an application/problem+json body', async () => {
    const body = {
      type: 'https://kinerja.go.id/problems/wrong-phase',
      title: 'Conflict',
      status: 409,
      detail: 'Tindakan ini tidak tersedia.',
      code: 'WRONG_PHASE',
      requestId: 'abc',
    };
    const p = await problemFrom(new Response(JSON.stringify(body), { status: 409, headers: { 'content-type': 'application/problem+json' } }));
    expect(p).toBeInstanceOf(ApiProblem);
    expect(p).toMatchObject({ status: 409, code: 'WRONG_PHASE', detail: 'Tindakan ini tidak tersedia.', requestId: 'abc', errors: [] });
  });
  it('turns a body that is not JSON into a problem with the status', async () => {
    const p = await problemFrom(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(p).toMatchObject({ status: 502, code: 'UNKNOWN', detail: 'Bad Gateway' });
  });
  it('ignores malformed field entries', async () => {
    const p = await problemFrom(
      new Response(JSON.stringify({ status: 422, detail: 'x', errors: [{ pointer: '/a', message: 'm' }, { nope: 1 }] }), { status: 422 }),
    );
    expect(p.errors).toEqual([{ pointer: '/a', message: 'm' }]);
  });
});
