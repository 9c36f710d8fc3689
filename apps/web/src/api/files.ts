import type { ClientResponse } from 'hono/client';
import type { ResponseFormat } from 'hono/types';
import { problemFrom } from './problem';

/**
 * Save what a signed-in GET answers (a PDF, an evidence file) as a download: the request needs the access token, so
 * a plain link cannot fetch it. The file name comes from Content-Disposition when the API gives one.
 */
export async function saveDownload(call: Promise<ClientResponse<unknown, number, ResponseFormat>>, fallbackName: string) {
  const res = (await call) as unknown as Response;
  if (!res.ok) throw await problemFrom(res);
  const blob = await res.blob();
  const name = fileNameOf(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file name of a Content-Disposition header: the RFC 8187 `filename*` when present, else `filename`. */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  return (plain?.[1] ?? plain?.[2])?.trim() || null;
}
