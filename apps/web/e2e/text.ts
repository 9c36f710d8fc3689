/**
 * What the app says, in each language, taken from its own dictionary modules (src/i18n, the feature message
 * modules), so the tests find elements by the text a user reads without copying it.
 */
import { asn } from '../src/i18n/asn';
import { common } from '../src/i18n/common';
import { supervisor } from '../src/routes/supervisor/messages';

export const TEXT = {
  id: { ...common.id, asn: asn.id, supervisor: supervisor.id },
  en: { ...common.en, asn: asn.en, supervisor: supervisor.en },
};
export const ID = TEXT.id;
export const EN = TEXT.en;

/** A pattern matching `s` literally (for accessible names that contain it). */
export const literally = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
