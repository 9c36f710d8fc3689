/**
 * Notifications that reach people: derived from the projection's changes and from reminders, written to the outbox
 * (Notification) in the same transaction, delivered by the dispatcher over e-mail (SMTP) and signed webhooks.
 */
export { notificationsOfProjection, notificationOfReminder } from './derive.js';
export { writeOutbox } from './outbox.js';
export { renderNotification, formatInstant, periodName, type RenderedNotification } from './templates.js';
export { NotificationPayload, NotificationFacts, type NotificationIntent } from './payload.js';
export { createEmailTransport, notificationMessageId, smtpOptions, type EmailTransport, type EmailSettings } from './email.js';
export { signWebhook, verifyWebhookSignature, postWebhook, type WebhookBody } from './webhook.js';
export { createDispatcher, backoffAfter, DEFAULT_DISPATCHER_SETTINGS, type Dispatcher, type DispatcherSettings } from './dispatcher.js';
