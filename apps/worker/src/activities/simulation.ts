/**
 * Background dry runs of a rule set (simulationWorkflow): the subjects of a region's employees or of a cycle's
 * scores, evaluated with the proposed version and the one it is compared with, in chunks, with a heartbeat and a
 * progress write (SimulationRun.done/total) after each chunk, then the result (distributions, comparison, the
 * changed subjects up to SIMULATION_LIMITS.changedSubjects) with status DONE.
 */
import { ApplicationFailure } from '@temporalio/common';
import { cycleSubjects, employeeSubjects, type Prisma, type PrismaClient } from '@kinerja/db';
import {
  compareDistributions,
  emptyDistribution,
  FactsError,
  SIMULATION_LIMITS,
  simulate,
  simulationCost,
  validateRuleSet,
  type Facts,
  type PredikatDistribution,
  type RuleSetDocument,
  type SimulationResult,
} from '@kinerja/rules';
import type { Activities } from '@kinerja/workflows';
import { heartbeat, type ActivityLog } from './shared.js';

type SimulationActivities = Pick<Activities, 'runSimulation' | 'failSimulation'>;

/** What the API records in SimulationRun.request when it starts a background run. */
interface RunRequest {
  mode: 'employees' | 'cycle';
  cycleId?: string;
  /** the version compared with, resolved by the API (null: nothing to compare with) */
  compareToVersionId: string | null;
}

/** between two progress writes: at most 500 subjects and about 50,000 condition evaluations (~0.25–0.45 s of CPU) */
const CHUNK_SUBJECTS = 500;
const CHUNK_EVALUATIONS = 50_000;

/** Distribution and flag counts summed over chunks. */
class Tally {
  readonly distribution = emptyDistribution();
  readonly flagCounts: Record<string, number> = {};
  add(r: SimulationResult) {
    for (const [k, n] of Object.entries(r.distribution)) this.distribution[k as keyof PredikatDistribution] += n;
    for (const [k, n] of Object.entries(r.flagCounts)) this.flagCounts[k] = (this.flagCounts[k] ?? 0) + n;
  }
}

export function simulationActivities(deps: { prisma: PrismaClient; log: ActivityLog }): SimulationActivities {
  const { prisma, log } = deps;

  async function versionDoc(regionId: string, id: string) {
    const row = await prisma.ruleSetVersion.findFirst({ where: { id, regionId } });
    if (!row) throw ApplicationFailure.nonRetryable(`rule set version ${id} not found`, 'NOT_FOUND');
    const v = validateRuleSet(row.document);
    if (!v.ok)
      throw ApplicationFailure.nonRetryable(
        `rule set version ${row.version} is invalid: ${v.errors
          .slice(0, 3)
          .map((e) => `${e.pointer} ${e.code}`)
          .join('; ')}`,
        'RULESET_INVALID',
      );
    return { row, doc: row.document as unknown as RuleSetDocument };
  }

  const ofCycle = async (cycleId: string) => {
    const { subjects, evaluations } = await cycleSubjects(prisma, cycleId);
    return { subjects: subjects as { id: string; facts: Facts }[], info: { cycleId, evaluations, withFacts: subjects.length } };
  };
  const ofRegion = async (regionId: string) => {
    const people = await employeeSubjects(prisma, regionId);
    const subjects = people.map((p) => ({ id: p.id, facts: p.facts }));
    return { subjects, info: { employees: subjects.length, fromScores: people.filter((p) => p.from === 'score').length } };
  };

  const runSimulation: SimulationActivities['runSimulation'] = async ({ runId }) => {
    const run = await prisma.simulationRun.findUnique({ where: { id: runId } });
    if (!run) throw ApplicationFailure.nonRetryable(`simulation run ${runId} not found`, 'NOT_FOUND');
    // a retry after the run was finished (or failed) has nothing left to do
    if (run.status !== 'RUNNING') return { status: run.status };
    const req = run.request as unknown as RunRequest;
    const proposed = await versionDoc(run.regionId, run.ruleSetVersionId);
    const current = req.compareToVersionId ? await versionDoc(run.regionId, req.compareToVersionId) : null;
    // the same subjects as the API's inline dry run (@kinerja/db), facts as the rules engine reads them
    const { subjects, info } = req.mode === 'cycle' ? await ofCycle(req.cycleId ?? '') : await ofRegion(run.regionId);
    await prisma.simulationRun.update({ where: { id: runId }, data: { total: subjects.length, done: 0 } });
    log.info('simulation started', { runId, mode: req.mode, subjects: subjects.length });

    const before = new Tally();
    const after = new Tally();
    const changed: { id: string; current: string | null; proposed: string | null }[] = [];
    let changedTotal = 0;
    const perSubject = simulationCost(1, proposed.doc, ...(current ? [current.doc] : [])).evaluations;
    const size = Math.max(1, Math.min(CHUNK_SUBJECTS, Math.floor(CHUNK_EVALUATIONS / perSubject)));
    for (let start = 0; start < subjects.length; start += size) {
      const chunk = subjects.slice(start, start + size);
      let p: SimulationResult;
      let c: SimulationResult | null;
      try {
        [p, c] = await Promise.all([simulate(proposed.doc, chunk, { trace: false }), current ? simulate(current.doc, chunk, { trace: false }) : null]);
      } catch (err) {
        if (err instanceof FactsError) throw ApplicationFailure.nonRetryable(`facts of subject ${chunk[0]?.id ?? '?'}…: ${err.message}`, 'FACTS_INVALID');
        throw err;
      }
      after.add(p);
      if (c) {
        before.add(c);
        for (let k = 0; k < chunk.length; k++) {
          const was = c.results[k]!.evaluation.predikat;
          const now = p.results[k]!.evaluation.predikat;
          if (was === now) continue;
          changedTotal++;
          if (changed.length < SIMULATION_LIMITS.changedSubjects) changed.push({ id: chunk[k]!.id, current: was, proposed: now });
        }
      }
      const done = start + chunk.length;
      heartbeat({ done });
      await prisma.simulationRun.update({ where: { id: runId }, data: { done } });
    }

    const result = {
      mode: req.mode,
      ...info,
      current: current ? { versionId: current.row.id, version: current.row.version, distribution: before.distribution, flagCounts: before.flagCounts } : null,
      proposed: { versionId: proposed.row.id, version: proposed.row.version, distribution: after.distribution, flagCounts: after.flagCounts },
      comparison: current ? { rows: compareDistributions(before.distribution, after.distribution).rows, changed, changedTotal } : null,
    };
    await prisma.simulationRun.update({
      where: { id: runId },
      data: { status: 'DONE', done: subjects.length, result: result as unknown as Prisma.InputJsonValue },
    });
    log.info('simulation done', { runId, subjects: subjects.length, changed: changedTotal });
    return { status: 'DONE' };
  };

  const failSimulation: SimulationActivities['failSimulation'] = async ({ runId, error }) => {
    await prisma.simulationRun.updateMany({ where: { id: runId, status: 'RUNNING' }, data: { status: 'FAILED', error } });
    log.warn('simulation failed', { runId, error });
  };

  return { runSimulation, failSimulation };
}
