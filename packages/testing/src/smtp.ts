/**
 * A real SMTP server for tests (the npm package `smtp-server`), on a free local port, collecting every accepted
 * message parsed with `mailparser`. Tests point the worker's SMTP_URL at `url` and read `messages`, so e-mail is
 * delivered over the real protocol, never to a mock transport.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** envelope */
  from: string;
  to: string[];
  messageId: string | undefined;
  subject: string;
  text: string;
  headers: ParsedMail['headers'];
  raw: Buffer;
}

export interface SmtpFixture {
  /** smtp://user:pass@127.0.0.1:port (the credentials the server requires) */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** resolves once `count` messages (in total) have arrived */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** refuse the next `n` messages with a 451 (temporary failure), to exercise retries */
  rejectNext(n: number): void;
  close(): Promise<void>;
}

export async function startSmtpServer(opts: { user?: string; pass?: string } = {}): Promise<SmtpFixture> {
  const user = opts.user ?? 'kinerja';
  const pass = opts.pass ?? 'rahasia';
  const messages: ReceivedMail[] = [];
  const waiters: { count: number; resolve: (m: ReceivedMail[]) => void }[] = [];
  let rejecting = 0;
  const notify = () => {
    for (const w of [...waiters]) {
      if (messages.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(messages.slice());
      }
    }
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user: auth.username });
      else cb(new Error('invalid credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejecting > 0) {
          rejecting--;
          const err = new Error('try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          cb(err);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              messageId: mail.messageId,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              headers: mail.headers,
              raw,
            });
            cb();
            notify();
          },
          (err: Error) => cb(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp fixture: no port');
  const port = address.port;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    port,
    messages,
    waitFor(count, timeoutMs = 30_000) {
      if (messages.length >= count) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        const w = { count, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i < 0) return;
          waiters.splice(i, 1);
          reject(new Error(`smtp fixture: ${messages.length} of ${count} messages arrived within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    rejectNext(n) {
      rejecting += n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
