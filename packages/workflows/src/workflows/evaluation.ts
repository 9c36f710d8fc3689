/**
 * One employee's evaluation year. All decisions are made by the pure machine (./machine.ts); this file only wires
 * Temporal: update handlers (validated), signals, the query, one re-armed deadline timer and the activities.
 *
 * Determinism: no I/O, no randomness, only workflow time. Changes to the command sequence this code emits must go
 * through `patched('<change-id>')` so that running years replay (see test/replay.test.ts and test/histories/).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, Change, ProjectInput } from '../activities-contract.js';
import type * as PayloadModule from '../payload.js';
import { KinerjaPhase } from '../search-attributes.js';
import { COMMAND_NAMES, COMMAND_UPDATES, EVALUATION_COMMANDS, type CommandArgs, type CommandName, type CommandSpec, type CommandUpdate } from '../commands.js';
import {
  changeSupervisor,
  closeEvaluation,
  getState,
  unitCalibrated,
  type EvaluationInput,
  type EvaluationState,
  type ProjectionFailureView,
  type UpdateResult,
} from '../contracts.js';
import {
  hasDue,
  initialState,
  isTerminal,
  nextWakeAfter,
  openingTime,
  realisationProblems,
  reduce,
  validate,
  view,
  type Command,
  type MachineEvent,
  type MachineState,
  type Reminder,
} from './machine.js';

// Projection and reminders are short database writes: local activities keep the history small (one marker each).
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  localRetryThreshold: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});
// Scoring runs the rules engine and reads the year's facts: a regular activity.
const remote = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * The payload schemas (../payload.ts, zod) load on the first update whose body this workflow must parse itself, one
 * the API did not parse at the edge (CommandArgs `bodyCheckedAs`), rather than when the workflow is created: module
 * scope is evaluated per workflow, and most workflow creations (a cycle opening, a re-cached history) never parse
 * anything. Validators do not run on replay, so this has no bearing on determinism. The bundler resolves this
 * `require` statically into the same bundle.
 */
declare const require: (id: '../payload.js') => typeof PayloadModule;
let payloadModule: typeof PayloadModule | undefined;
const payloadChecks = () => (payloadModule ??= require('../payload.js'));

/** Patch ids (see README "Changing workflow code"): never remove one while histories that predate it may replay. */
export const PATCH_KEEP_NEAR_TIMER = 'keep-near-timer';
export const PATCH_UNIT_CALIBRATION = 'unit-calibration';
export const PATCH_CYCLE_PROJECTS_START = 'cycle-projects-start';
/**
 * Deadlines that passed while the loop waited are applied to the real state before the next timer is armed, and the
 * loop no longer waits for the projection of a tick or a score (see the main loop).
 */
export const PATCH_APPLY_DUE_FIRST = 'apply-due-first';
/**
 * Periods are the cycle's calendar months or quarters and deadlines may count working days (EvaluationInput.cycleCalendar);
 * runs without the marker keep periods of `periodLength` from the SKP's approval.
 */
export const PATCH_CYCLE_CALENDAR = 'cycle-calendar';
/** The phase is kept in the KinerjaPhase search attribute (../search-attributes.ts): an upsert at each phase change. */
export const PATCH_SEARCH_ATTRIBUTES = 'search-attributes';
/** A close that arrives while a score is computed waits for the score (the 'close' event's `afterScore`). */
export const PATCH_CLOSE_AFTER_SCORE = 'close-after-score';
const NEAR_FIRE_MS = 5_000;

export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationState> {
  const info = workflowInfo();
  // Unit calibration (SE MenPANRB 03/2023) arrived after the first release: runs recorded before it replay without
  // the marker and keep the old path. New runs record the marker only when their cycle asks for calibration.
  const calibration = input.calibration === true && patched(PATCH_UNIT_CALIBRATION);
  // The cycle's fan-out writes the first projection of a whole batch in one transaction and says so in the input;
  // runs started before that (or directly) write it themselves, as before.
  const projectedByCycle = input.projected === true && patched(PATCH_CYCLE_PROJECTS_START);
  // A calendar in the input of a run recorded by a worker that ignored it must stay ignored on replay.
  const cycleCalendar = input.cycleCalendar !== undefined && patched(PATCH_CYCLE_CALENDAR) ? input.cycleCalendar : undefined;
  const openedAt = openingTime(input, Date.now());
  let s: MachineState = initialState({ ...input, calibration, cycleCalendar }, openedAt);

  // ---------------------------------------------------------------- the KinerjaPhase search attribute
  // Only runs started with the attribute keep it: such a start proves the server has it registered (a server refuses
  // to start with an unregistered one), so the upsert cannot fail a workflow task. Runs started without it (before
  // the attributes existed, or directly by a test) emit no upsert and record no marker.
  let indexedPhase = info.typedSearchAttributes.get(KinerjaPhase);
  const indexPhase = () => {
    if (indexedPhase === undefined || indexedPhase === s.phase || !patched(PATCH_SEARCH_ATTRIBUTES)) return;
    indexedPhase = s.phase;
    upsertSearchAttributes([{ key: KinerjaPhase, value: s.phase }]);
  };
  indexPhase();

  // ---------------------------------------------------------------- effects, serialised in seq order
  let chain: Promise<void> = Promise.resolve();
  /** effects enqueued and not yet settled: when 0, awaiting the chain emits nothing */
  let pending = 0;
  const enqueue = (job: () => Promise<unknown>): Promise<void> => {
    pending++;
    const next = chain.then(job).then(() => undefined);
    chain = next.catch(() => undefined);
    // counted on a side branch, so the chain's own timing (and the commands it emits) stays as it was
    void chain.then(() => void pending--);
    return next;
  };
  /**
   * Projections the worker refused for good (ApplicationFailure PROJECTION_REJECTED: the data cannot be written, retrying
   * cannot fix it). The year goes on; the failure is in the query and in the ProjectionFailure table for the operator.
   * The next projection that succeeds writes the full snapshot (phase, tasks, report states) with a higher seq and so
   * repairs those; the rejected change's own rows (e.g. that report's content, its audit event) stay unwritten.
   */
  const projectionFailures: ProjectionFailureView[] = [];
  const withFailures = (v: EvaluationState): EvaluationState => (projectionFailures.length ? { ...v, projectionFailures: [...projectionFailures] } : v);
  const project = (changes: Change[]) => {
    const write: ProjectInput = {
      evaluationId: input.evaluationId,
      cycleId: input.cycleId,
      regionId: input.regionId,
      employeeId: input.employeeId,
      workflowId: info.workflowId,
      seq: s.seq,
      state: view(s),
      changes,
    };
    return enqueue(async () => {
      try {
        await local.project(write);
      } catch (err) {
        // only an activity that gave up (non-retryable) arrives here; transient errors keep retrying in the activity.
        // A local activity's failure may arrive as the ApplicationFailure itself or wrapped in an ActivityFailure.
        if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
        const cause = err instanceof ApplicationFailure ? err : err.cause instanceof ApplicationFailure ? err.cause : undefined;
        const detail = cause?.details?.[0] as { code?: unknown } | undefined;
        const code = typeof detail?.code === 'string' ? detail.code : (cause?.type ?? 'PROJECTION_FAILED');
        projectionFailures.push({ seq: write.seq, code, message: (cause?.message ?? err.message).slice(0, 500) });
      }
    });
  };
  const remind = (r: Reminder) =>
    enqueue(() =>
      local.sendReminder({
        evaluationId: input.evaluationId,
        regionId: input.regionId,
        kind: r.kind,
        period: r.period,
        assigneeId: r.assigneeId,
        dueAt: new Date(r.dueAt).toISOString(),
        at: new Date().toISOString(),
      }),
    );

  /** Apply an event; returns when its projection is written. */
  const apply = (e: MachineEvent): Promise<void> => {
    const before = s.seq;
    const step = reduce(s, e, Date.now());
    s = step.state;
    indexPhase();
    for (const r of step.reminders) void remind(r);
    if (s.seq !== before) return project(step.changes);
    return chain;
  };

  /** `bodyChecked`: the body was parsed with its row's schema before it was sent (CommandArgs `bodyCheckedAs`) */
  const check = (c: Command, bodyChecked: boolean) => {
    const ticked = reduce(s, { type: 'tick' }, Date.now()).state;
    const problem = validate(ticked, c, Date.now()) ?? (bodyChecked ? null : payloadChecks().payloadProblem(c));
    if (problem) {
      throw ApplicationFailure.create({
        message: problem.message,
        type: problem.type,
        nonRetryable: true,
        details: problem.errors ? [{ errors: problem.errors }] : [],
      });
    }
    const fields = realisationProblems(ticked, c);
    if (fields.length) {
      throw ApplicationFailure.create({
        message: fields.map((f) => `${f.pointer}: ${f.message}`).join('; '),
        type: 'VALIDATION_FAILED',
        nonRetryable: true,
        details: [{ errors: fields }],
      });
    }
    // A command the validator accepts must be one the handler can apply: a payload the reducer cannot digest is
    // refused here, before the update is accepted, instead of failing the workflow task after it.
    try {
      reduce(ticked, c, Date.now());
    } catch (err) {
      throw ApplicationFailure.nonRetryable(`input tidak dapat diproses: ${err instanceof Error ? err.message : String(err)}`, 'VALIDATION_FAILED');
    }
  };
  const run = async (c: Command): Promise<UpdateResult> => {
    await apply(c);
    return { ok: true, phase: s.phase };
  };

  // ---------------------------------------------------------------- messages
  /**
   * The command an update's argument stands for, built from its row in ../commands.ts: the actor, the period when the
   * path names one, the body under its key. Validator and handler see the same command; nothing else the caller sent.
   */
  const toCommand = <N extends CommandName>(type: N, a: CommandArgs<N>): Command => {
    const row: CommandSpec = EVALUATION_COMMANDS[type];
    const args = a as unknown as Record<string, unknown>;
    return {
      type,
      actor: a.actor,
      ...(row.period ? { period: args.period } : {}),
      ...(row.body ? { [row.body.key]: args[row.body.key] } : {}),
    } as unknown as Command;
  };
  const on = <N extends CommandName>(type: N) =>
    setHandler(COMMAND_UPDATES[type] as CommandUpdate<N>, (a: CommandArgs<N>) => run(toCommand(type, a)), {
      validator: (a: CommandArgs<N>) => {
        const body = (EVALUATION_COMMANDS[type] as CommandSpec).body;
        check(toCommand(type, a), body !== undefined && a.bodyCheckedAs === body.schema);
      },
    });
  for (const type of COMMAND_NAMES) on(type);
  setHandler(changeSupervisor, (a) => void apply({ type: 'changeSupervisor', ...a }));
  // the marker is asked only where the versions differ: a close while a score is being computed
  setHandler(closeEvaluation, (a) => void apply({ type: 'close', ...a, afterScore: s.scoreNeeded !== undefined && patched(PATCH_CLOSE_AFTER_SCORE) }));
  setHandler(unitCalibrated, (a) => void apply({ type: 'calibrated', ...a }));
  setHandler(getState, () => withFailures(view(s)));

  // ---------------------------------------------------------------- the deadline timer (one, re-armed only when the next deadline moves)
  let timer: { at: number; scope: CancellationScope } | undefined;
  let fired = false;
  const disarm = () => {
    timer?.scope.cancel();
    timer = undefined;
  };
  const arm = (at: number) => {
    if (timer?.at === at) return;
    // A timer due within a moment may already be firing on the server; cancelling it then races the server's own
    // TimerFired (the Java test server rejects the completion). Let it fire as a no-op instead.
    if (timer && timer.at - Date.now() < NEAR_FIRE_MS && patched(PATCH_KEEP_NEAR_TIMER)) timer = undefined;
    disarm();
    const scope = new CancellationScope();
    const t = { at, scope };
    timer = t;
    fired = false;
    scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (timer === t) fired = true;
        },
        () => undefined, // cancelled
      );
  };

  // ---------------------------------------------------------------- main loop
  // PATCH_APPLY_DUE_FIRST is asked only where the two versions would emit different commands (effects still in flight,
  // or a deadline due at the loop's top), so the marker costs nothing on runs that never get there.
  const dueFirst = () => patched(PATCH_APPLY_DUE_FIRST);
  /**
   * Wait for an event's effects (old runs), or let them run on in the serial chain (new runs): the loop must keep
   * arming timers while a projection retries. Update handlers still wait for their own projection.
   */
  const settle = (effects: Promise<void>): Promise<void> | undefined => (pending > 0 && dueFirst() ? undefined : effects);
  if (!projectedByCycle) await project([{ kind: 'EVALUATION_STARTED', at: new Date(openedAt).toISOString() }]);
  while (!isTerminal(s)) {
    if (s.scoreNeeded) {
      // the score reads the year's facts from the projection: every write before it must be in
      if (pending > 0 && dueFirst()) await chain;
      const req = s.scoreNeeded;
      const result = await remote.computeScore({
        evaluationId: input.evaluationId,
        ruleSetVersionId: input.ruleSetVersionId,
        kind: req.kind,
        rating: req.rating,
        ...(req.round ? { round: req.round } : {}),
        at: new Date().toISOString(),
      });
      await settle(apply({ type: 'scored', kind: req.kind, result }));
      continue;
    }
    // Deadlines that passed while the loop waited (a score, a slow projection) are applied to the real state, so that a
    // terminal or scoring state is reached now and the timer below counts from what is really pending.
    if (hasDue(s, Date.now()) && dueFirst()) {
      await settle(apply({ type: 'tick' }));
      continue;
    }
    const seen = s.seq;
    const at = nextWakeAfter(s, Date.now());
    if (at === undefined) disarm();
    else arm(at);
    await condition(() => s.seq !== seen || fired || isTerminal(s));
    if (fired) {
      fired = false;
      timer = undefined;
      await settle(apply({ type: 'tick' }));
    }
  }
  disarm();
  await chain;
  await condition(allHandlersFinished);
  await chain;
  return withFailures(view(s));
}
