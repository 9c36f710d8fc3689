/**
 * E-mail over SMTP (nodemailer), from `SMTP_URL` (`smtp://user:pass@host:port`, or `smtps://` for implicit TLS) and
 * `MAIL_FROM`. The Message-ID is derived from the notification's id, so a receiver can drop the second copy when a
 * worker crashed between the server's acceptance and marking the row SENT.
 */
import nodemailer from 'nodemailer';
import type { RenderedNotification } from './templates.js';

export interface EmailSettings {
  smtpUrl: string;
  from: string;
  /** connection, greeting and socket timeout (ms) */
  timeoutMs?: number | undefined;
}

export interface EmailMessage {
  notificationId: string;
  /** the notification event (REMINDER, ANNUAL_RESULT, …), also sent as the X-Kinerja-Event header for mail filters */
  event: string;
  to: string;
  language: 'id' | 'en';
  rendered: RenderedNotification;
}

export interface EmailTransport {
  send(m: EmailMessage): Promise<void>;
  close(): void;
}

/** The Message-ID of a notification's e-mail: the same for every delivery attempt of one row. */
export const notificationMessageId = (notificationId: string) => `<${notificationId}@notification.kinerja>`;

export function smtpOptions(smtpUrl: string, timeoutMs = 30_000) {
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

export function createEmailTransport(settings: EmailSettings): EmailTransport {
  const transporter = nodemailer.createTransport(smtpOptions(settings.smtpUrl, settings.timeoutMs));
  return {
    async send(m) {
      await transporter.sendMail({
        from: settings.from,
        to: m.to,
        subject: m.rendered.subject,
        text: m.rendered.text,
        messageId: notificationMessageId(m.notificationId),
        headers: { 'X-Kinerja-Id': m.notificationId, 'X-Kinerja-Event': m.event, 'Content-Language': m.language },
      });
    },
    close: () => transporter.close(),
  };
}
