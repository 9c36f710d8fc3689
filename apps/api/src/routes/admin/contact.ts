/**
 * Where notifications reach an employee: an e-mail address and a phone number for WhatsApp or SMS. Both are
 * normalised at the edge, so the worker and the gateways see one spelling: the address in lower case, the number in
 * E.164 (+6281234567890). People type Indonesian mobile numbers as 0812…; that is read as +62 812….
 */
// the .openapi() metadata method on zod schemas
import '@hono/zod-openapi';
import { text } from '@kinerja/domain';

/** RFC 5321 caps a forward path at 256 octets including the angle brackets. */
const EMAIL_MAX = 254;
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `address` (already lower-cased) is not a deliverable mailbox address; null when it is one. */
export function emailProblem(address: string): { id: string; en: string } | null {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const labels = domain.split('.');
  const ok =
    at > 0 &&
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => LABEL.test(l)) &&
    /^[a-z]{2,63}$/.test(labels[labels.length - 1]!);
  return ok ? null : { id: 'harus berupa alamat e-mail, mis. nama@instansi.go.id', en: 'must be an e-mail address, e.g. name@agency.go.id' };
}

export const Email = text({ min: 3, max: EMAIL_MAX })
  .toLowerCase()
  .superRefine((v, ctx) => {
    const p = emailProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p.id, params: { code: 'invalid_email', messageEn: p.en } });
  })
  .openapi({ description: 'E-mail address; stored in lower case', example: 'andi.pratama@demo.go.id' });

/** separators people put in phone numbers: spaces, hyphens, dots, parentheses */
const SEPARATORS = /[\s().-]/g;

/**
 * The E.164 form of a phone number as typed: "+62 812-3456-7890", "0812 3456 7890" and "6281234567890" all give
 * "+6281234567890". Null when it is not a phone number: E.164 allows at most 15 digits after the country code's
 * leading digit 1..9; an Indonesian number has 8..12 digits after +62.
 */
export function normalisePhone(raw: string): string | null {
  const s = raw.replace(SEPARATORS, '');
  let e164: string;
  if (/^0[1-9]\d+$/.test(s)) e164 = `+62${s.slice(1)}`;
  else if (/^62[1-9]\d+$/.test(s)) e164 = `+${s}`;
  else if (/^\+[1-9]\d+$/.test(s)) e164 = s;
  else return null;
  if (!/^\+[1-9]\d{7,14}$/.test(e164)) return null;
  if (e164.startsWith('+62') && !/^\+62[1-9]\d{7,11}$/.test(e164)) return null;
  return e164;
}

export const Phone = text({ min: 1, max: 32 })
  .superRefine((v, ctx) => {
    if (normalisePhone(v) === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'harus berupa nomor telepon, mis. +6281234567890 atau 081234567890',
        params: { code: 'invalid_phone', messageEn: 'must be a phone number, e.g. +6281234567890 or 081234567890' },
      });
    }
  })
  .overwrite((v) => normalisePhone(v) ?? v)
  .openapi({ description: 'Phone number for WhatsApp/SMS: E.164 (+6281234567890); 0812… is read as +62 812…; stored in E.164', example: '+6281234567890' });
