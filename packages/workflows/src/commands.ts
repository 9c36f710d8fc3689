/**
 * The user commands of an evaluation, declared once. Each row says who may send it, where the API serves it, what it
 * carries and which Temporal update carries it; from this table derive the API's routes (apps/api routes/evaluations),
 * the authorisation policy (apps/api policy), the workflow's update handlers and their payload validation
 * (workflows/evaluation.ts, payload.ts) and the machine's Command type. Adding a command is a row here plus its
 * transition in workflows/machine.ts.
 *
 * The table is zod-free so that workflow code can import it: payload schemas are named (exports of @kinerja/domain)
 * and resolved where zod is welcome, the API at the edge and payload.ts, which the workflow loads lazily.
 * The row's key is the update's name, recorded in every history: add rows, never rename one (replay breaks).
 */
import { defineUpdate } from '@temporalio/workflow';
import type * as Domain from '@kinerja/domain';
import type { TaskKind } from '@kinerja/domain';
import type { Actor, UpdateResult } from './contracts.js';

/** The @kinerja/domain exports that are schemas: what a command's body may name. */
export type PayloadSchemaName = {
  [K in keyof typeof Domain]: (typeof Domain)[K] extends { safeParse(v: unknown): unknown; parse(v: unknown): unknown } ? K : never;
}[keyof typeof Domain];

/** Who acts: the ASN owner, the supervisor (pejabat penilai) or the appeal reviewer (atasan pejabat penilai). */
export type CommandRole = 'owner' | 'supervisor' | 'reviewer';

export interface CommandSpec {
  role: CommandRole;
  /** HTTP method and path (under the evaluation) of the API route that sends it */
  method: 'put' | 'post';
  path: `/evaluations/{id}${string}`;
  summary: string;
  /** the request body: the domain schema it must match and the key the update's argument carries it under */
  body?: { key: string; schema: PayloadSchemaName };
  /** the path names the reporting period ({period}), carried as `period` */
  period?: boolean;
  /** an escalated open task of this kind lets its assignee act in the supervisor's place */
  escalatedTask?: TaskKind;
  /** whoever gave the annual rating never sends this one */
  notByRater?: boolean;
}

/** Every command answers UpdateResult (`{ ok: true, phase }`) once its projection is written. */
export const EVALUATION_COMMANDS = {
  submitTargets: {
    role: 'owner',
    method: 'put',
    path: '/evaluations/{id}/targets',
    summary: 'ASN submits the SKP draft (RHK + indicators)',
    body: { key: 'skp', schema: 'SkpDraftInput' },
  },
  decideTargets: {
    role: 'supervisor',
    method: 'post',
    path: '/evaluations/{id}/targets/decision',
    summary: 'Supervisor approves or returns the SKP',
    body: { key: 'input', schema: 'TargetDecisionInput' },
    escalatedTask: 'APPROVE_TARGETS',
  },
  submitReport: {
    role: 'owner',
    method: 'put',
    path: '/evaluations/{id}/periods/{period}/report',
    summary: 'ASN submits a period realisation report',
    body: { key: 'input', schema: 'PeriodReportInput' },
    period: true,
  },
  reviewReport: {
    role: 'supervisor',
    method: 'post',
    path: '/evaluations/{id}/periods/{period}/review',
    summary: 'Supervisor rates a period report or asks for a revision',
    body: { key: 'input', schema: 'PeriodReviewInput' },
    period: true,
    escalatedTask: 'REVIEW_PERIOD',
  },
  rateAnnual: {
    role: 'supervisor',
    method: 'post',
    path: '/evaluations/{id}/annual-rating',
    summary: 'Supervisor records the annual rating (hasil kerja + BerAKHLAK)',
    body: { key: 'input', schema: 'AnnualRatingInput' },
    escalatedTask: 'ANNUAL_RATING',
  },
  fileAppeal: {
    role: 'owner',
    method: 'post',
    path: '/evaluations/{id}/appeal',
    summary: 'ASN files a keberatan within the appeal window',
    body: { key: 'input', schema: 'AppealInput' },
  },
  requestAppealResponse: {
    role: 'reviewer',
    method: 'post',
    path: '/evaluations/{id}/appeal/request-response',
    summary: 'Appeal reviewer asks the supervisor to respond',
  },
  respondAppeal: {
    role: 'supervisor',
    method: 'post',
    path: '/evaluations/{id}/appeal/response',
    summary: 'Supervisor responds to the appeal',
    body: { key: 'input', schema: 'AppealResponseInput' },
  },
  decideAppeal: {
    role: 'reviewer',
    method: 'post',
    path: '/evaluations/{id}/appeal/decision',
    summary: 'Atasan pejabat penilai decides the appeal (final)',
    body: { key: 'input', schema: 'AppealDecisionInput' },
    notByRater: true,
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof EVALUATION_COMMANDS;
export const COMMAND_NAMES = Object.keys(EVALUATION_COMMANDS) as CommandName[];
type Row<N extends CommandName> = (typeof EVALUATION_COMMANDS)[N];

/** What a payload schema accepts, as its parse returns it. */
export type PayloadOf<S extends PayloadSchemaName> = (typeof Domain)[S] extends { parse(v: unknown): infer O } ? O : never;

/** The command's payload (without the actor): its period and its body, under the row's key. */
export type CommandPayload<N extends CommandName> = (Row<N> extends { period: true } ? { period: number } : unknown) &
  (Row<N> extends { body: { key: infer K extends string; schema: infer S extends PayloadSchemaName } } ? { [k in K]: PayloadOf<S> } : unknown);

/**
 * The update's one argument: who acts, and the payload. `bodyCheckedAs` names the schema the body was parsed with
 * before it was sent: the API's route parsed it with its row's schema at the edge, so the workflow's validator does
 * not parse it again. An update without it (an operator's `temporal workflow update`) is parsed in the workflow.
 */
export type CommandArgs<N extends CommandName> = { actor: Actor; bodyCheckedAs?: PayloadSchemaName } & CommandPayload<N>;

/** A command as the machine sees it: the update's argument tagged with its name. */
export type CommandOf<N extends CommandName> = { type: N } & CommandArgs<N>;
export type EvaluationCommand = { [N in CommandName]: CommandOf<N> }[CommandName];

export type CommandUpdate<N extends CommandName> = ReturnType<typeof defineUpdate<UpdateResult, [CommandArgs<N>]>>;

/** The Temporal update of each command, named after its row. */
export const COMMAND_UPDATES = Object.fromEntries(COMMAND_NAMES.map((n) => [n, defineUpdate(n)])) as { [N in CommandName]: CommandUpdate<N> };
