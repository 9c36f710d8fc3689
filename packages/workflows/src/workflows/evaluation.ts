/**
 * One employee's evaluation year. All decisions are made by the pure machine (./machine.ts); this file only wires
 * Temporal: update handlers (validated), signals, the query, one re-armed deadline timer and the activities.
 *
 * Determinism: no I/O, no randomness, only workflow time. Changes to the command sequence this code emits must go
 * through `patched('<change-id>')` so that running years replay (see test/replay.test.ts and test/histories/).
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  patched,
  setHandler,
  sleep,
  workflowInfo,
  type defineUpdate,
} from '@temporalio/workflow';
import type { Activities, Change } from '../activities-contract.js';
import type * as PayloadModule from '../payload.js';
import {
  changeSupervisor,
  closeEvaluation,
  decideAppeal,
  decideTargets,
  fileAppeal,
  getState,
  rateAnnual,
  requestAppealResponse,
  respondAppeal,
  reviewReport,
  submitReport,
  submitTargets,
  unitCalibrated,
  type EvaluationInput,
  type EvaluationState,
  type UpdateResult,
} from '../contracts.js';
import {
  initialState,
  isTerminal,
  nextWakeAfter,
  openingTime,
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
 * The payload schemas (../payload.ts, zod) load on this workflow's first validated update rather than when the
 * workflow is created: module scope is evaluated per workflow, and most workflow creations (a cycle opening, a
 * re-cached history) never validate anything. Validators do not run on replay, so this has no bearing on determinism.
 * The bundler resolves this `require` statically into the same bundle.
 */
declare const require: (id: '../payload.js') => typeof PayloadModule;
let payloadModule: typeof PayloadModule | undefined;
const payloadChecks = () => (payloadModule ??= require('../payload.js'));

/** Patch ids (see README "Changing workflow code"): never remove one while histories that predate it may replay. */
export const PATCH_KEEP_NEAR_TIMER = 'keep-near-timer';
export const PATCH_UNIT_CALIBRATION = 'unit-calibration';
export const PATCH_CYCLE_PROJECTS_START = 'cycle-projects-start';
const NEAR_FIRE_MS = 5_000;

export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationState> {
  const info = workflowInfo();
  // Unit calibration (SE MenPANRB 03/2023) arrived after the first release: runs recorded before it replay without
  // the marker and keep the old path. New runs record the marker only when their cycle asks for calibration.
  const calibration = input.calibration === true && patched(PATCH_UNIT_CALIBRATION);
  // The cycle's fan-out writes the first projection of a whole batch in one transaction and says so in the input;
  // runs started before that (or directly) write it themselves, as before.
  const projectedByCycle = input.projected === true && patched(PATCH_CYCLE_PROJECTS_START);
  const openedAt = openingTime(input, Date.now());
  let s: MachineState = initialState({ ...input, calibration }, openedAt);

  // ---------------------------------------------------------------- effects, serialised in seq order
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (job: () => Promise<unknown>): Promise<void> => {
    const next = chain.then(job).then(() => undefined);
    chain = next.catch(() => undefined);
    return next;
  };
  const project = (changes: Change[]) => {
    const snapshot = view(s);
    const seq = s.seq;
    return enqueue(() =>
      local.project({
        evaluationId: input.evaluationId,
        cycleId: input.cycleId,
        regionId: input.regionId,
        employeeId: input.employeeId,
        workflowId: info.workflowId,
        seq,
        state: snapshot,
        changes,
      }),
    );
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
    for (const r of step.reminders) void remind(r);
    if (s.seq !== before) return project(step.changes);
    return chain;
  };

  const check = (c: Command) => {
    const ticked = reduce(s, { type: 'tick' }, Date.now()).state;
    const problem = validate(ticked, c, Date.now()) ?? payloadChecks().payloadProblem(c);
    if (problem) throw ApplicationFailure.nonRetryable(problem.message, problem.type);
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
  /** Register an update whose validator and handler see the same command. */
  const on = <A,>(def: ReturnType<typeof defineUpdate<UpdateResult, [A]>>, toCommand: (a: A) => Command) =>
    setHandler(def, (a: A) => run(toCommand(a)), { validator: (a: A) => check(toCommand(a)) });
  on(submitTargets, (a) => ({ type: 'submitTargets', actor: a.actor, skp: a.skp }));
  on(decideTargets, (a) => ({ type: 'decideTargets', actor: a.actor, input: a.input }));
  on(submitReport, (a) => ({ type: 'submitReport', actor: a.actor, period: a.period, input: a.input }));
  on(reviewReport, (a) => ({ type: 'reviewReport', actor: a.actor, period: a.period, input: a.input }));
  on(rateAnnual, (a) => ({ type: 'rateAnnual', actor: a.actor, input: a.input }));
  on(fileAppeal, (a) => ({ type: 'fileAppeal', actor: a.actor, input: a.input }));
  on(requestAppealResponse, (a) => ({ type: 'requestAppealResponse', actor: a.actor }));
  on(respondAppeal, (a) => ({ type: 'respondAppeal', actor: a.actor, input: a.input }));
  on(decideAppeal, (a) => ({ type: 'decideAppeal', actor: a.actor, input: a.input }));
  setHandler(changeSupervisor, (a) => void apply({ type: 'changeSupervisor', ...a }));
  setHandler(closeEvaluation, (a) => void apply({ type: 'close', ...a }));
  setHandler(unitCalibrated, (a) => void apply({ type: 'calibrated', ...a }));
  setHandler(getState, () => view(s));

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
  if (!projectedByCycle) await project([{ kind: 'EVALUATION_STARTED', at: new Date(openedAt).toISOString() }]);
  while (!isTerminal(s)) {
    if (s.scoreNeeded) {
      const req = s.scoreNeeded;
      const result = await remote.computeScore({
        evaluationId: input.evaluationId,
        ruleSetVersionId: input.ruleSetVersionId,
        kind: req.kind,
        rating: req.rating,
        ...(req.round ? { round: req.round } : {}),
        at: new Date().toISOString(),
      });
      await apply({ type: 'scored', kind: req.kind, result });
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
      await apply({ type: 'tick' });
    }
  }
  disarm();
  await chain;
  await condition(allHandlersFinished);
  await chain;
  return view(s);
}
