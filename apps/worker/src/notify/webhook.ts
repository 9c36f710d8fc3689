/**
 * Signed webhooks for a region's WhatsApp or SMS gateway. The body is JSON `{ id, event, channel, to, language, text,
 * data }`; the headers carry the notification id (`X-Kinerja-Id`, the same on every retry: the gateway's dedupe key),
 * the time of signing (`X-Kinerja-Timestamp`, unix seconds) and `X-Kinerja-Signature: sha256=<hex>`, the HMAC-SHA256
 * with the endpoint's secret over `<timestamp>.<raw body>`. A gateway recomputes it over the bytes it received and
 * refuses old timestamps, so a captured request cannot be replayed later. Anything but a 2xx answer is a failure to
 * retry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WebhookBody {
  id: string;
  event: string;
  channel: 'WHATSAPP' | 'SMS';
  /** the phone number (E.164) */
  to: string;
  language: 'id' | 'en';
  text: string;
  data: unknown;
}

export const signWebhook = (secret: string, timestamp: number, rawBody: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;

/** For gateways written in TypeScript (and the tests): whether a request's signature is the one `secret` gives. */
export function verifyWebhookSignature(secret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  return /^\d+$/.test(timestamp) && expected.length === given.length && timingSafeEqual(expected, given);
}

export async function postWebhook(endpoint: { url: string; secret: string }, body: WebhookBody, opts: { timeoutMs: number; now: () => Date }): Promise<void> {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(opts.now().getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Kinerja-Notifications',
        'x-kinerja-id': body.id,
        'x-kinerja-timestamp': String(timestamp),
        'x-kinerja-signature': signWebhook(endpoint.secret, timestamp, raw),
      },
      body: raw,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new Error(`webhook ${new URL(endpoint.url).host} unreachable: ${err instanceof Error ? err.message : String(err)}${cause}`);
  }
  // the answer's body is not needed; reading it frees the connection
  const answer = (await res.text().catch(() => '')).slice(0, 200);
  if (res.status < 200 || res.status > 299) throw new Error(`webhook ${new URL(endpoint.url).host} answered ${res.status}${answer ? `: ${answer}` : ''}`);
}
