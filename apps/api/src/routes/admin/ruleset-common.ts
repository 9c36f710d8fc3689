/** What the rule-set routes and the simulation routes share: the version path, its lookup and its validation. */
import { idText, type Lang } from '@kinerja/domain';
import type { PrismaClient } from '@kinerja/db';
import { validateRuleSet, type RuleSetDocument } from '@kinerja/rules';
import { ProblemError } from '../../problem.js';
import { withId } from './common.js';

export const RsParams = withId('ruleSetId');
export const VerParams = RsParams.extend({ versionId: idText(64).openapi({ param: { name: 'versionId', in: 'path' } }) });

export function rulesetProblem(errors: { pointer: string; code: string; message: string; messageEn?: string }[], lang: Lang) {
  return new ProblemError('RULESET_INVALID', {
    errors: errors.map((e) => ({
      pointer: e.pointer,
      field: e.pointer.split('/').filter(Boolean).pop() ?? '',
      code: e.code,
      message: lang === 'en' && e.messageEn ? e.messageEn : e.message,
    })),
  });
}

/** A version of one of the region's rule sets; 404 when it is not there (or in another region). */
export async function findVersion(prisma: PrismaClient, regionId: string, ruleSetId: string, versionId: string) {
  const v = await prisma.ruleSetVersion.findFirst({ where: { id: versionId, ruleSetId, regionId } });
  if (!v) throw new ProblemError('NOT_FOUND');
  return v;
}
export type VersionRow = Awaited<ReturnType<typeof findVersion>>;

/** The document as a valid rule set, or 422 RULESET_INVALID with its pointers. */
export function validDoc(document: unknown, lang: Lang): RuleSetDocument {
  const r = validateRuleSet(document);
  if (!r.ok) throw rulesetProblem(r.errors, lang);
  return document as RuleSetDocument;
}
