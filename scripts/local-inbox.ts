/**
 * The embedded default's mailbox: an SMTP server (npm `smtp-server`) on 127.0.0.1 that `npm start` runs in-process
 * when SMTP_URL is unset, writing every message it accepts as an .eml file under .data/inbox/. The worker delivers
 * to it over real SMTP like to any server; `npm run inbox` lists and prints the messages.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface LocalInbox {
  /** smtp://127.0.0.1:<port> */
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Where `npm start` tells other scripts (`npm run demo`) its e-mail goes. */
export const MAIL_ROUTE_FILE = 'mail-route.json';
export interface MailRoute {
  /** the SMTP server the worker delivers to, host:port */
  smtp: string;
  /** the local inbox's directory, when the worker delivers there */
  inbox: string | null;
}

export async function startLocalInbox(dir: string): Promise<LocalInbox> {
  mkdirSync(dir, { recursive: true });
  // file names sort by arrival; the counter continues after a restart
  let seq = readdirSync(dir).filter((f) => f.endsWith('.eml')).length;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++seq).padStart(5, '0')}.eml`;
        try {
          writeFileSync(join(dir, name), Buffer.concat(chunks));
          cb();
        } catch (err) {
          cb(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, dir, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export function readMailRoute(dataDir: string): MailRoute | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, MAIL_ROUTE_FILE), 'utf8')) as MailRoute;
  } catch {
    return null;
  }
}
