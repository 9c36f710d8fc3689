/** Fixtures for the notification tests: a real local HTTP server standing in for a region's WhatsApp/SMS gateway. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type WebhookBody } from '../src/index.js';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: WebhookBody;
  /** whether X-Kinerja-Signature is the HMAC of the gateway's secret over `<timestamp>.<raw body>` */
  signatureValid: boolean;
  /** the status the gateway answered */
  status: number;
}

export interface Gateway {
  url: string;
  secret: string;
  received: ReceivedHook[];
  /** the status to answer from now on (default 200) */
  answer(status: number): void;
  close(): Promise<void>;
}

export async function startGateway(secret = 'rahasia-gateway'): Promise<Gateway> {
  const received: ReceivedHook[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signatureValid = verifyWebhookSignature(
        secret,
        String(req.headers['x-kinerja-timestamp'] ?? ''),
        raw,
        String(req.headers['x-kinerja-signature'] ?? ''),
      );
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) as WebhookBody, signatureValid, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"ok":true}' : '{"error":"gateway down"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/whatsapp`,
    secret,
    received,
    answer: (s) => void (status = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
