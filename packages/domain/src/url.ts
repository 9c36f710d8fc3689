import { z } from 'zod';
import { INVALID_CHARACTERS, textProblem, textProblemMessage } from './text.js';

/**
 * Links people attach (evidence) are shown to others as clickable links: only http(s) to a public host.
 * Purely syntactic (no DNS): a name that resolves to a private address later is the fetcher's concern.
 */

export interface UrlProblem {
  code: string;
  id: string;
  en: string;
}

function ipv4Private(a: number, b: number): boolean {
  return (
    a === 0 || // 0.0.0.0/8 "this network", incl. the unspecified 0.0.0.0
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // 100.64.0.0/10 shared (carrier-grade NAT)
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** The eight 16-bit groups of a WHATWG-serialised IPv6 host ("[…]", hex groups, at most one "::"). */
function ipv6Groups(host: string): number[] | null {
  const inner = host.slice(1, -1);
  const halves = inner.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function ipv6Private(g: number[]): boolean {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return true; // ::
  if (zeros(7) && g[7] === 1) return true; // ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judged by the IPv4 address inside
  if (zeros(5) && g[5] === 0xffff) return ipv4Private(g[6]! >> 8, g[6]! & 0xff);
  if (zeros(6)) return ipv4Private(g[6]! >> 8, g[6]! & 0xff);
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g[0]! & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  return false;
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal)$/;

/** Why `raw` is not an acceptable public http(s) link; null when it is. `field` names the field in the message. */
export function publicUrlProblem(raw: string, field = 'url'): UrlProblem | null {
  const chars = textProblem(raw);
  if (chars) {
    const m = textProblemMessage(chars);
    return { code: INVALID_CHARACTERS, id: m.id, en: m.en };
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { code: 'invalid_url', id: `${field} harus berupa alamat web lengkap (https://…)`, en: `${field} must be a complete web address (https://…)` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return {
      code: 'url_scheme',
      id: `${field} hanya boleh memakai https: atau http: (diterima: ${u.protocol})`,
      en: `${field} may only use https: or http: (received ${u.protocol})`,
    };
  }
  if (u.username !== '' || u.password !== '') {
    return {
      code: 'url_credentials',
      id: `${field} tidak boleh memuat nama pengguna atau kata sandi`,
      en: `${field} must not contain a user name or password`,
    };
  }
  // WHATWG URL has already normalised the host: lower case, IPv4 in any notation (0x7f.1, 2130706433) as dotted
  // quad, IPv6 compressed in brackets
  const host = u.hostname.replace(/\.$/, '');
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  const groups = host.startsWith('[') ? ipv6Groups(host) : null;
  const isPrivate = v4 ? ipv4Private(Number(v4[1]), Number(v4[2])) : groups ? ipv6Private(groups) : host === '' || LOCAL_NAMES.test(host);
  if (host.startsWith('[') && !groups) return { code: 'invalid_url', id: `${field} tidak valid`, en: `${field} is invalid` };
  if (isPrivate) {
    return {
      code: 'url_host',
      id: `${field} harus menuju alamat publik, bukan localhost, jaringan lokal atau privat (diterima: ${u.hostname})`,
      en: `${field} must point to a public host, not localhost, a link-local or private network (received ${u.hostname})`,
    };
  }
  return null;
}

/** A public http(s) link (evidence): see `publicUrlProblem`. */
export const publicUrl = (opts: { max?: number; field?: string } = {}) =>
  z
    .string()
    .max(opts.max ?? 2000)
    .superRefine((v, ctx) => {
      const p = publicUrlProblem(v, opts.field);
      if (p) ctx.addIssue({ code: 'custom', message: p.id, params: { code: p.code, messageEn: p.en } });
    })
    .describe('An https: or http: link to a public host (not localhost, a private, link-local or unspecified address)');
