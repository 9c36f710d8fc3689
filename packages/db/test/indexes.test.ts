/**
 * Every query on a hot path (authentication, /me and its lists, evaluation actions, the projection, the notification
 * outbox, the cycle report) is planned against a seeded region the size of a large kabupaten, and no plan may read a
 * large table whole: neither a `Seq Scan` nor an index scan that does not narrow the index's first column. Missing
 * indexes show here deterministically: the planner's statistics are taken from every row (no sampling), and nothing is
 * timed.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/index.js';
import { createTestDb, dbKinds } from './fixtures.js';

/** A table with at least this many rows is large: reading all of it for one request is the bug this test is for. */
const LARGE_ROWS = 1_000;
/** the month-end moment the queries ask about (period 1 of 2026 is overdue, period 2 is running) */
const NOW = '2026-06-30T09:00:00.000Z';
/** A mid-level supervisor: 10 subordinates, the atasan of 100 employees, a user with an employee record. */
const CALLER = 'emp-00123';
const CALLER_USER = 'usr-00123';
/** one of the caller's subordinates' current evaluation, and one the caller reviews */
const EVALUATION = 'ev-2026-01234';
const REVIEWED = 'ev-2026-12345';
const CYCLE = 'cyc-2026';
const UNIT = 'unit-123';

/** The rows the seed writes per table: the test refuses to pass on a seed too small to make a sequential scan costly. */
const SEEDED: Record<string, number> = {
  Employee: 20_000,
  User: 20_001,
  Evaluation: 40_000,
  Task: 100_000,
  PeriodReport: 40_000,
  Score: 20_000,
  Notification: 40_000,
  AuditEvent: 40_000,
  Delegation: 5_000,
};

const pad = (expr: string) => `lpad((${expr})::text, 5, '0')`;

/**
 * One region of 20,000 employees in 400 units (a supervisor tree: employee i reports to i / 10), a closed 2025 cycle
 * and the open 2026 one (an evaluation per employee each), last year's done tasks and this year's open ones, the
 * period reports, last year's scores, notifications (mostly sent), the audit chain and five years of delegations.
 * A small second region makes `regionId` a real filter.
 */
const SEED = [
  `INSERT INTO "Region" (id, code, name, timezone) VALUES ('reg-big', 'besar', 'Kabupaten Besar', 'Asia/Jakarta'),
     ('reg-small', 'kecil', 'Kota Kecil', 'Asia/Makassar')`,
  `INSERT INTO "Unit" (id, "regionId", code, name, kind)
   SELECT 'unit-' || lpad(u::text, 3, '0'), 'reg-big', 'U' || u, 'Unit ' || u, 'DINAS' FROM generate_series(0, 399) u`,
  `INSERT INTO "Unit" (id, "regionId", code, name, kind) VALUES ('unit-small', 'reg-small', 'U0', 'Unit Kecil', 'DINAS')`,
  `INSERT INTO "Employee" (id, "regionId", nip, name, position, "positionKind", "unitId", "superiorId", status, email, "updatedAt")
   SELECT 'emp-' || ${pad('i')}, 'reg-big', (198001010000000000 + i)::text, 'Pegawai ' || i, 'Analis',
     (CASE WHEN i < 2000 THEN 'STRUKTURAL' ELSE 'PELAKSANA' END)::"PositionKind", 'unit-' || lpad((i % 400)::text, 3, '0'),
     CASE WHEN i >= 10 THEN 'emp-' || ${pad('i / 10')} END, (CASE WHEN i % 50 = 0 THEN 'LEFT' ELSE 'ACTIVE' END)::"EmployeeStatus",
     'pegawai' || i || '@besar.go.id', '2026-01-01'
   FROM generate_series(1, 20000) i`,
  `INSERT INTO "User" (id, username, "passwordHash", "displayName", "employeeId", "regionId")
   SELECT 'usr-' || ${pad('i')}, (198001010000000000 + i)::text, 'x', 'Pegawai ' || i, 'emp-' || ${pad('i')}, 'reg-big'
   FROM generate_series(1, 20000) i`,
  `INSERT INTO "User" (id, username, "passwordHash", "displayName") VALUES ('usr-admin', 'admin', 'x', 'Admin')`,
  `INSERT INTO "AdminGrant" (id, "userId", "regionId") VALUES ('grant-big', 'usr-admin', 'reg-big'), ('grant-small', 'usr-admin', 'reg-small')`,
  `INSERT INTO "RuleSet" (id, "regionId", key, name) VALUES ('rs', 'reg-big', 'national', 'Nasional')`,
  `INSERT INTO "RuleSetVersion" (id, "ruleSetId", "regionId", version, status, document) VALUES ('rsv', 'rs', 'reg-big', 1, 'PUBLISHED', '{}')`,
  `INSERT INTO "Cycle" (id, "regionId", year, name, "ruleSetVersionId", status, "workflowId")
   VALUES ('cyc-2025', 'reg-big', 2025, 'SKP 2025', 'rsv', 'CLOSED', 'cycle-2025'), ('cyc-2026', 'reg-big', 2026, 'SKP 2026', 'rsv', 'OPEN', 'cycle-2026')`,
  `INSERT INTO "Evaluation" (id, "cycleId", "regionId", "employeeId", "unitId", "supervisorId", "reviewerId", "workflowId", phase, seq, "createdAt", "updatedAt")
   SELECT 'ev-' || y || '-' || ${pad('i')}, 'cyc-' || y, 'reg-big', 'emp-' || ${pad('i')}, 'unit-' || lpad((i % 400)::text, 3, '0'),
     CASE WHEN i >= 10 THEN 'emp-' || ${pad('i / 10')} END, CASE WHEN i >= 100 THEN 'emp-' || ${pad('i / 100')} END,
     'evaluation-' || y || '-' || i,
     (CASE WHEN y = 2025 THEN 'CLOSED' WHEN i % 10 = 0 THEN 'TARGET_SETTING' ELSE 'PERIODIC' END)::"Phase", 5,
     make_timestamp(y, 1, 2, 0, 0, 0) + i * interval '1 second', make_timestamp(y, 6, 1, 0, 0, 0)
   FROM generate_series(2025, 2026) y, generate_series(1, 20000) i`,
  // last year's done tasks: the employee's targets, the supervisor's approval and annual rating
  `INSERT INTO "Task" (id, key, "regionId", "cycleId", "evaluationId", kind, period, "assigneeId", "dueAt", status, "createdAt", "completedAt")
   SELECT 'task-2025-' || k || '-' || ${pad('i')}, 'ev-2025-' || ${pad('i')} || ':' || k || ':', 'reg-big', 'cyc-2025', 'ev-2025-' || ${pad('i')}, k, NULL,
     CASE WHEN k = 'SUBMIT_TARGETS' OR i < 10 THEN 'emp-' || ${pad('i')} ELSE 'emp-' || ${pad('i / 10')} END,
     '2025-02-28', 'DONE', '2025-01-02', '2025-02-20'
   FROM generate_series(1, 20000) i, unnest(ARRAY['SUBMIT_TARGETS', 'APPROVE_TARGETS', 'ANNUAL_RATING']) k`,
  `INSERT INTO "Task" (id, key, "regionId", "cycleId", "evaluationId", kind, period, "assigneeId", "dueAt", status, "createdAt", "completedAt")
   SELECT 'task-2026-t-' || ${pad('i')}, 'ev-2026-' || ${pad('i')} || ':SUBMIT_TARGETS:', 'reg-big', 'cyc-2026', 'ev-2026-' || ${pad('i')},
     'SUBMIT_TARGETS', NULL, 'emp-' || ${pad('i')}, '2026-02-28', 'DONE', '2026-01-02', '2026-02-10'
   FROM generate_series(1, 20000) i`,
  // this year's open tasks: half the employees owe period 2's report, the other half wait for their supervisor's review
  // of period 1 (overdue; some escalated)
  `INSERT INTO "Task" (id, key, "regionId", "cycleId", "evaluationId", kind, period, "assigneeId", escalated, "dueAt", status, "createdAt")
   SELECT 'task-2026-o-' || ${pad('i')}, 'ev-2026-' || ${pad('i')} || ':' || k || ':' || p, 'reg-big', 'cyc-2026', 'ev-2026-' || ${pad('i')}, k, p,
     CASE WHEN k = 'SUBMIT_REPORT' OR i < 10 THEN 'emp-' || ${pad('i')} ELSE 'emp-' || ${pad('i / 10')} END, i % 20 = 1,
     CASE WHEN p = 2 THEN timestamp '2026-07-10' ELSE timestamp '2026-06-15' END, 'OPEN', '2026-04-01'
   FROM generate_series(1, 20000) i,
     LATERAL (SELECT CASE WHEN i % 2 = 0 THEN 'SUBMIT_REPORT' ELSE 'REVIEW_PERIOD' END AS k, CASE WHEN i % 2 = 0 THEN 2 ELSE 1 END AS p) t`,
  `INSERT INTO "PeriodReport" (id, "evaluationId", period, status, "updatedAt")
   SELECT 'rep-' || ${pad('i')} || '-' || p, 'ev-2026-' || ${pad('i')}, p, (CASE WHEN p = 1 THEN 'SUBMITTED' ELSE 'OPEN' END)::"ReportStatus", '2026-06-01'
   FROM generate_series(1, 20000) i, generate_series(1, 2) p`,
  // the trigger keeps Evaluation.predikat from these
  `INSERT INTO "Score" (id, "evaluationId", kind, "hasilKerja", perilaku, predikat, "numericScore", flags, facts, trace, "ruleSetVersionId")
   SELECT 'score-' || ${pad('i')}, 'ev-2025-' || ${pad('i')}, 'FINAL', 'SESUAI', 'SESUAI', (ARRAY['BAIK', 'BAIK', 'BAIK', 'SANGAT_BAIK', 'BUTUH_PERBAIKAN'])[1 + i % 5],
     80, '{}', '{}', '{}', 'rsv'
   FROM generate_series(1, 20000) i`,
  // a reminder to each employee and an escalation to each supervisor; one in a hundred still waiting for delivery
  `INSERT INTO "Notification" (id, "regionId", key, event, channel, "evaluationId", "cycleId", "recipientId", address, payload, status, attempts,
     "nextAttemptAt", "sentAt", "createdAt")
   SELECT 'notif-' || e || '-' || ${pad('i')}, 'reg-big', 'ev-2026-' || ${pad('i')} || ':' || e || ':EMAIL', e, 'EMAIL', 'ev-2026-' || ${pad('i')}, 'cyc-2026',
     CASE WHEN e = 'REMINDER' OR i < 10 THEN 'emp-' || ${pad('i')} ELSE 'emp-' || ${pad('i / 10')} END, 'pegawai' || i || '@besar.go.id', '{}',
     (CASE WHEN i % 100 = 0 THEN 'PENDING' ELSE 'SENT' END)::"NotificationStatus", 1,
     timestamp '2026-06-01' + i * interval '1 minute', timestamp '2026-06-01' + i * interval '1 minute', timestamp '2026-06-01' + i * interval '1 minute'
   FROM generate_series(1, 20000) i, unnest(ARRAY['REMINDER', 'ESCALATION']) e`,
  `INSERT INTO "AuditEvent" ("regionId", seq, at, action, "entityType", "entityId", "prevHash", hash)
   SELECT 'reg-big', s, timestamp '2026-01-02' + s * interval '1 minute', 'evaluation.started', 'Evaluation', 'ev-2026-' || ${pad('(s - 1) % 20000 + 1')}, 'x', 'x'
   FROM generate_series(1, 40000) s`,
  // five years of Plt/Plh: most ended long ago, some revoked
  `INSERT INTO "Delegation" (id, "regionId", "fromEmployeeId", "toEmployeeId", kind, "startsAt", "endsAt", "revokedAt")
   SELECT 'del-' || ${pad('i')}, 'reg-big', 'emp-' || ${pad('(i * 37) % 20000 + 1')}, 'emp-' || ${pad('(i * 101) % 20000 + 1')}, 'PLT',
     timestamp '2021-07-01' + i * interval '9 hours', timestamp '2021-07-31' + i * interval '9 hours',
     CASE WHEN i % 10 = 0 THEN timestamp '2021-07-05' + i * interval '9 hours' END
   FROM generate_series(1, 5000) i`,
  `INSERT INTO "Delegation" (id, "regionId", "fromEmployeeId", "toEmployeeId", kind, "startsAt", "endsAt")
   VALUES ('del-caller', 'reg-big', 'emp-00124', '${CALLER}', 'PLH', '2026-06-20', '2026-07-20')`,
];

interface HotQuery {
  /** where the query runs (route or activity) */
  name: string;
  /** the SQL as Prisma sends it (the model API's generated SQL, or the raw query with its interpolations numbered) */
  sql: string;
  params: readonly (string | number)[];
}

const NOT_EMPLOYEE_KINDS = ['SUBMIT_TARGETS', 'SUBMIT_REPORT'];
const TASK_COLUMNS = `"public"."Task"."id", "public"."Task"."key", "public"."Task"."regionId", "public"."Task"."cycleId", "public"."Task"."evaluationId",
  "public"."Task"."kind", "public"."Task"."period", "public"."Task"."assigneeId", "public"."Task"."actingForId", "public"."Task"."escalated",
  "public"."Task"."dueAt", "public"."Task"."status"::text, "public"."Task"."createdAt", "public"."Task"."completedAt"`;

/** The hot queries, each as Prisma sends it, with the parameters a month-end request of the caller above would bind. */
const HOT_QUERIES: readonly HotQuery[] = [
  // ---------------------------------------------------------------- authentication (every request)
  {
    name: 'auth middleware: the user',
    sql: `SELECT "public"."User"."id", "public"."User"."username", "public"."User"."displayName", "public"."User"."employeeId", "public"."User"."regionId",
      "public"."User"."tokensValidAfter", "public"."User"."lockedUntil" FROM "public"."User" WHERE ("public"."User"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
    params: [CALLER_USER, 1, 0],
  },
  {
    name: "auth middleware: the user's admin grants",
    sql: `SELECT "public"."AdminGrant"."id", "public"."AdminGrant"."regionId", "public"."AdminGrant"."userId" FROM "public"."AdminGrant"
      WHERE "public"."AdminGrant"."userId" IN ($1) OFFSET $2`,
    params: [CALLER_USER, 0],
  },
  {
    name: 'sign-in: the user by NIP',
    sql: `SELECT "public"."User"."id", "public"."User"."passwordHash", "public"."User"."failedLogins", "public"."User"."lockedUntil" FROM "public"."User"
      WHERE ("public"."User"."username" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
    params: ['198001010000000123', 1, 0],
  },
  {
    name: "activeDelegationsTo: the caller's Plt/Plh (/me, /me/tasks, /me/evaluations, every evaluation action)",
    sql: `SELECT "public"."Delegation"."id", "public"."Delegation"."fromEmployeeId", "public"."Delegation"."toEmployeeId", "public"."Delegation"."startsAt",
      "public"."Delegation"."endsAt", "public"."Delegation"."revokedAt" FROM "public"."Delegation" WHERE ("public"."Delegation"."toEmployeeId" = $1
      AND "public"."Delegation"."revokedAt" IS NULL AND "public"."Delegation"."startsAt" <= $2 AND "public"."Delegation"."endsAt" > $3) OFFSET $4`,
    params: [CALLER, NOW, NOW, 0],
  },
  // ---------------------------------------------------------------- /me
  {
    name: '/me: the employee record',
    sql: `SELECT "public"."Employee"."id", "public"."Employee"."nip", "public"."Employee"."name", "public"."Employee"."unitId", "public"."Employee"."regionId"
      FROM "public"."Employee" WHERE ("public"."Employee"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
    params: [CALLER, 1, 0],
  },
  {
    name: '/me: has subordinates (the SUPERVISOR role)',
    sql: `SELECT COUNT(*) AS "_count$_all" FROM (SELECT "public"."Employee"."id" FROM "public"."Employee" WHERE ("public"."Employee"."superiorId" = $1
      AND "public"."Employee"."status" = CAST($2::text AS "public"."EmployeeStatus")) OFFSET $3) AS "sub"`,
    params: [CALLER, 'ACTIVE', 0],
  },
  {
    name: '/me: reviews someone (the REVIEWER role)',
    sql: `SELECT COUNT(*) AS "_count$_all" FROM (SELECT "public"."Evaluation"."id" FROM "public"."Evaluation" WHERE "public"."Evaluation"."reviewerId" = $1 OFFSET $2) AS "sub"`,
    params: [CALLER, 0],
  },
  {
    name: '/me: notification settings (the user with the employee record)',
    sql: `SELECT "public"."User"."id", "public"."User"."language", "public"."User"."mutedChannels"::text[], "public"."User"."employeeId" FROM "public"."User"
      WHERE ("public"."User"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
    params: [CALLER_USER, 1, 0],
  },
  // ---------------------------------------------------------------- /me/tasks
  {
    name: '/me/tasks: total (one cycle)',
    sql: `SELECT COUNT(*) AS "_count$_all" FROM (SELECT "public"."Task"."id" FROM "public"."Task" LEFT JOIN "public"."Evaluation" AS "j0"
      ON ("j0"."id") = ("public"."Task"."evaluationId") WHERE ("public"."Task"."assigneeId" IN ($1,$2) AND "public"."Task"."status" = CAST($3::text AS "public"."TaskStatus")
      AND ("j0"."cycleId" = $4 AND ("j0"."id" IS NOT NULL))) OFFSET $5) AS "sub"`,
    params: [CALLER, 'emp-00124', 'OPEN', CYCLE, 0],
  },
  {
    name: '/me/tasks: the page, soonest due first',
    sql: `SELECT ${TASK_COLUMNS} FROM "public"."Task" WHERE ("public"."Task"."assigneeId" IN ($1,$2) AND "public"."Task"."status" = CAST($3::text AS "public"."TaskStatus"))
      ORDER BY "public"."Task"."dueAt" ASC NULLS LAST, "public"."Task"."id" ASC LIMIT $4 OFFSET $5`,
    params: [CALLER, 'emp-00124', 'OPEN', 20, 0],
  },
  {
    name: "/me/tasks: the page's evaluations",
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."cycleId", "public"."Evaluation"."phase"::text, "public"."Evaluation"."employeeId"
      FROM "public"."Evaluation" WHERE "public"."Evaluation"."id" IN ($1,$2,$3) OFFSET $4`,
    params: ['ev-2026-01231', 'ev-2026-01233', 'ev-2026-01235', 0],
  },
  // ---------------------------------------------------------------- /me/evaluations
  {
    name: '/me/evaluations?as=employee',
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."cycleId", "public"."Evaluation"."phase"::text, "public"."Evaluation"."supervisorId",
      "public"."Evaluation"."reviewerId", "public"."Evaluation"."employeeId" FROM "public"."Evaluation" WHERE "public"."Evaluation"."employeeId" = $1
      ORDER BY "public"."Evaluation"."createdAt" DESC LIMIT $2 OFFSET $3`,
    params: [CALLER, 500, 0],
  },
  {
    name: '/me/evaluations?as=supervisor (the team)',
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."cycleId", "public"."Evaluation"."phase"::text, "public"."Evaluation"."supervisorId",
      "public"."Evaluation"."reviewerId", "public"."Evaluation"."employeeId" FROM "public"."Evaluation" WHERE ("public"."Evaluation"."supervisorId" IN ($1,$2)
      AND "public"."Evaluation"."employeeId" <> $3) ORDER BY "public"."Evaluation"."createdAt" DESC LIMIT $4 OFFSET $5`,
    params: [CALLER, 'emp-00124', CALLER, 500, 0],
  },
  {
    name: '/me/evaluations?as=reviewer',
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."cycleId", "public"."Evaluation"."phase"::text, "public"."Evaluation"."supervisorId",
      "public"."Evaluation"."reviewerId", "public"."Evaluation"."employeeId" FROM "public"."Evaluation" WHERE ("public"."Evaluation"."reviewerId" IN ($1,$2)
      AND "public"."Evaluation"."employeeId" <> $3) ORDER BY "public"."Evaluation"."createdAt" DESC LIMIT $4 OFFSET $5`,
    params: [CALLER, 'emp-00124', CALLER, 500, 0],
  },
  {
    name: "/me/evaluations: the listed evaluations' scores",
    sql: `SELECT "public"."Score"."id", "public"."Score"."kind"::text, "public"."Score"."predikat", "public"."Score"."hasilKerja", "public"."Score"."perilaku",
      "public"."Score"."evaluationId" FROM "public"."Score" WHERE "public"."Score"."evaluationId" IN ($1,$2) OFFSET $3`,
    params: ['ev-2025-01230', 'ev-2025-01231', 0],
  },
  {
    name: "/me/evaluations: the listed evaluations' open tasks",
    sql: `SELECT ${TASK_COLUMNS} FROM "public"."Task" WHERE ("public"."Task"."assigneeId" IN ($1,$2) AND "public"."Task"."status" = CAST($3::text AS "public"."TaskStatus")
      AND "public"."Task"."evaluationId" IN ($4,$5,$6)) ORDER BY "public"."Task"."dueAt" ASC NULLS LAST, "public"."Task"."id" ASC LIMIT $7 OFFSET $8`,
    params: [CALLER, 'emp-00124', 'OPEN', 'ev-2026-01231', 'ev-2026-01232', 'ev-2026-01233', 2000, 0],
  },
  {
    name: '/me/evaluations: the other open tasks',
    sql: `SELECT ${TASK_COLUMNS} FROM "public"."Task" LEFT JOIN "public"."Evaluation" AS "j0" ON ("j0"."id") = ("public"."Task"."evaluationId")
      WHERE ("public"."Task"."assigneeId" IN ($1,$2) AND "public"."Task"."status" = CAST($3::text AS "public"."TaskStatus") AND "public"."Task"."evaluationId" NOT IN ($4,$5)
      AND ("j0"."employeeId" <> $6 AND ("j0"."id" IS NOT NULL))) ORDER BY "public"."Task"."dueAt" ASC NULLS LAST, "public"."Task"."id" ASC LIMIT $7 OFFSET $8`,
    params: [CALLER, 'emp-00124', 'OPEN', 'ev-2026-01231', 'ev-2026-01232', CALLER, 100, 0],
  },
  {
    name: '/me/notifications: the first page',
    sql: `SELECT "public"."Notification"."id", "public"."Notification"."event", "public"."Notification"."channel"::text, "public"."Notification"."status"::text,
      "public"."Notification"."evaluationId", "public"."Notification"."createdAt", "public"."Notification"."sentAt" FROM "public"."Notification"
      WHERE "public"."Notification"."recipientId" = $1 ORDER BY "public"."Notification"."createdAt" DESC, "public"."Notification"."id" DESC LIMIT $2 OFFSET $3`,
    params: [CALLER, 21, 0],
  },
  {
    name: '/me/notifications: a later page (keyset)',
    sql: `SELECT "public"."Notification"."id", "public"."Notification"."event", "public"."Notification"."createdAt" FROM "public"."Notification"
      WHERE ("public"."Notification"."recipientId" = $1 AND ("public"."Notification"."createdAt" < $2 OR ("public"."Notification"."createdAt" = $3
      AND "public"."Notification"."id" < $4))) ORDER BY "public"."Notification"."createdAt" DESC, "public"."Notification"."id" DESC LIMIT $5 OFFSET $6`,
    params: [CALLER, '2026-06-10T00:00:00.000Z', '2026-06-10T00:00:00.000Z', 'notif-REMINDER-00123', 21, 0],
  },
  // ---------------------------------------------------------------- evaluation actions (authorizeEvaluation)
  {
    name: 'authorizeEvaluation: the evaluation',
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."regionId", "public"."Evaluation"."employeeId", "public"."Evaluation"."supervisorId",
      "public"."Evaluation"."reviewerId", "public"."Evaluation"."workflowId", "public"."Evaluation"."cycleId", "public"."Evaluation"."phase"::text
      FROM "public"."Evaluation" WHERE ("public"."Evaluation"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
    params: [EVALUATION, 1, 0],
  },
  {
    name: "authorizeEvaluation: the caller's open tasks on it",
    sql: `SELECT "public"."Task"."id", "public"."Task"."kind", "public"."Task"."assigneeId", "public"."Task"."actingForId", "public"."Task"."escalated",
      "public"."Task"."status"::text FROM "public"."Task" WHERE ("public"."Task"."evaluationId" = $1 AND "public"."Task"."status" = CAST($2::text AS "public"."TaskStatus")
      AND "public"."Task"."assigneeId" IN ($3,$4)) OFFSET $5`,
    params: [EVALUATION, 'OPEN', CALLER, 'emp-00124', 0],
  },
  {
    name: "the evaluation's page: its period reports",
    sql: `SELECT "public"."PeriodReport"."id", "public"."PeriodReport"."period", "public"."PeriodReport"."status"::text, "public"."PeriodReport"."evaluationId"
      FROM "public"."PeriodReport" WHERE "public"."PeriodReport"."evaluationId" IN ($1) OFFSET $2`,
    params: [EVALUATION, 0],
  },
  {
    name: "the evaluation's page: the superior's evaluation in the same cycle",
    sql: `SELECT "public"."Evaluation"."id" FROM "public"."Evaluation" WHERE ("public"."Evaluation"."cycleId" = $1 AND "public"."Evaluation"."employeeId" = $2 AND 1=1)
      LIMIT $3 OFFSET $4`,
    params: [CYCLE, CALLER, 1, 0],
  },
  // ---------------------------------------------------------------- the projection (worker, every workflow change)
  {
    name: 'projection: the evaluation head (seq-guarded update)',
    sql: `UPDATE "public"."Evaluation" SET "phase" = CAST($1::text AS "public"."Phase"), "seq" = $2, "updatedAt" = $3
      WHERE ("public"."Evaluation"."id" = $4 AND "public"."Evaluation"."seq" < $5)`,
    params: ['PERIODIC', 6, NOW, REVIEWED, 6],
  },
  {
    name: "projection syncReports: the evaluation's reports",
    sql: `SELECT "public"."PeriodReport"."id", "public"."PeriodReport"."period", "public"."PeriodReport"."status"::text, "public"."PeriodReport"."late",
      "public"."PeriodReport"."rating", "public"."PeriodReport"."revision" FROM "public"."PeriodReport" WHERE "public"."PeriodReport"."evaluationId" = $1 OFFSET $2`,
    params: [REVIEWED, 0],
  },
  {
    name: "projection syncTasks: the evaluation's open tasks",
    sql: `SELECT ${TASK_COLUMNS} FROM "public"."Task" WHERE ("public"."Task"."evaluationId" = $1 AND "public"."Task"."status" = CAST($2::text AS "public"."TaskStatus")) OFFSET $3`,
    params: [REVIEWED, 'OPEN', 0],
  },
  {
    name: 'projection syncTasks: closing a task',
    sql: `UPDATE "public"."Task" SET "status" = CAST($1::text AS "public"."TaskStatus"), "completedAt" = $2 WHERE ("public"."Task"."id" = $3 AND 1=1)`,
    params: ['DONE', NOW, 'task-2026-o-12345'],
  },
  {
    name: 'projection syncTasks: the task by key (upsert)',
    sql: `SELECT "public"."Task"."id" FROM "public"."Task" WHERE ("public"."Task"."key" = $1 AND 1=1) LIMIT $2 OFFSET $3`,
    params: [`${REVIEWED}:REVIEW_PERIOD:1`, 1, 0],
  },
  {
    name: "writeOutbox: the intents' evaluations",
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."employeeId", "public"."Evaluation"."cycleId" FROM "public"."Evaluation"
      WHERE "public"."Evaluation"."id" IN ($1) OFFSET $2`,
    params: [REVIEWED, 0],
  },
  {
    name: 'writeOutbox: the recipients',
    sql: `SELECT "public"."Employee"."id", "public"."Employee"."name", "public"."Employee"."email", "public"."Employee"."phone" FROM "public"."Employee"
      WHERE "public"."Employee"."id" IN ($1,$2) OFFSET $3`,
    params: ['emp-12345', 'emp-01234', 0],
  },
  {
    name: "writeOutbox: the recipients' users",
    sql: `SELECT "public"."User"."id", "public"."User"."language", "public"."User"."mutedChannels"::text[], "public"."User"."employeeId" FROM "public"."User"
      WHERE "public"."User"."employeeId" IN ($1,$2) OFFSET $3`,
    params: ['emp-12345', 'emp-01234', 0],
  },
  {
    name: "appendAudit: the region's chain head",
    sql: `SELECT "public"."AuditEvent"."id", "public"."AuditEvent"."seq", "public"."AuditEvent"."hash" FROM "public"."AuditEvent"
      WHERE "public"."AuditEvent"."regionId" = $1 ORDER BY "public"."AuditEvent"."seq" DESC LIMIT $2 OFFSET $3`,
    params: ['reg-big', 1, 0],
  },
  // ---------------------------------------------------------------- the notification outbox (every poll)
  {
    name: 'dispatcher: claim due notifications',
    sql: `UPDATE "Notification" SET "leaseUntil" = $1::timestamp(3)
      WHERE "id" IN (
        SELECT "id" FROM "Notification"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $2::timestamp(3)
          AND ("leaseUntil" IS NULL OR "leaseUntil" < $3::timestamp(3))
          AND "channel"::text = ANY($4)
        ORDER BY "nextAttemptAt"
        LIMIT $5
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"`,
    params: ['2026-06-30T09:01:00.000Z', NOW, NOW, '{EMAIL,WHATSAPP,SMS}', 20],
  },
  // ---------------------------------------------------------------- the cycle report (admin dashboard), whole cycle
  {
    name: 'cycle report: counts per unit, phase and predikat',
    sql: `SELECT e."unitId", e.phase::text AS phase, e.predikat, count(*)::int AS n
      FROM "Evaluation" e WHERE e."cycleId" = $1 GROUP BY 1, 2, 3`,
    params: [CYCLE],
  },
  {
    name: 'cycle report: task counts per kind',
    sql: `SELECT t.kind,
        count(*) FILTER (WHERE t.status = 'OPEN')::int AS open,
        count(*) FILTER (WHERE t.status = 'OPEN' AND t."dueAt" < $1)::int AS overdue,
        count(*) FILTER (WHERE t.escalated)::int AS escalated,
        count(*) FILTER (WHERE t.escalated AND t.status = 'OPEN')::int AS "escalatedOpen"
      FROM "Task" t WHERE t."cycleId" = $2 GROUP BY 1`,
    params: [NOW, CYCLE],
  },
  {
    name: "cycle report: the supervisors' overdue tasks",
    sql: `SELECT COALESCE(t."actingForId", t."assigneeId") AS "supervisorId", count(*)::int AS n, min(t."dueAt") AS oldest
      FROM "Task" t
      WHERE t."cycleId" = $1 AND t.status = 'OPEN' AND t."dueAt" < $2 AND t.kind NOT IN ($3, $4)
      GROUP BY 1 ORDER BY 2 DESC, 3 ASC LIMIT 20`,
    params: [CYCLE, NOW, ...NOT_EMPLOYEE_KINDS],
  },
  {
    name: 'cycle report: reminders and escalations',
    sql: `SELECT n.event, count(*)::int AS n, count(DISTINCT n."evaluationId")::int AS evaluations
      FROM "Notification" n WHERE n."cycleId" = $1 AND n.event IN ('REMINDER', 'ESCALATION')
      GROUP BY 1`,
    params: [CYCLE],
  },
  // ---------------------------------------------------------------- the cycle report (admin dashboard), one unit
  {
    name: 'cycle report (unit): counts per phase and predikat',
    sql: `SELECT e."unitId", e.phase::text AS phase, e.predikat, count(*)::int AS n
      FROM "Evaluation" e WHERE e."cycleId" = $1 AND e."unitId" = $2 GROUP BY 1, 2, 3`,
    params: [CYCLE, UNIT],
  },
  {
    name: 'cycle report (unit): task counts per kind',
    sql: `SELECT t.kind,
        count(*) FILTER (WHERE t.status = 'OPEN')::int AS open,
        count(*) FILTER (WHERE t.status = 'OPEN' AND t."dueAt" < $1)::int AS overdue,
        count(*) FILTER (WHERE t.escalated)::int AS escalated,
        count(*) FILTER (WHERE t.escalated AND t.status = 'OPEN')::int AS "escalatedOpen"
      FROM "Task" t WHERE t."cycleId" = $2 AND t."evaluationId" IN (SELECT e.id FROM "Evaluation" e WHERE e."cycleId" = $3 AND e."unitId" = $4) GROUP BY 1`,
    params: [NOW, CYCLE, CYCLE, UNIT],
  },
  {
    name: "cycle report (unit): the supervisors' overdue tasks",
    sql: `SELECT COALESCE(t."actingForId", t."assigneeId") AS "supervisorId", count(*)::int AS n, min(t."dueAt") AS oldest
      FROM "Task" t
      WHERE t."cycleId" = $1 AND t."evaluationId" IN (SELECT e.id FROM "Evaluation" e WHERE e."cycleId" = $2 AND e."unitId" = $3)
        AND t.status = 'OPEN' AND t."dueAt" < $4 AND t.kind NOT IN ($5, $6)
      GROUP BY 1 ORDER BY 2 DESC, 3 ASC LIMIT 20`,
    params: [CYCLE, CYCLE, UNIT, NOW, ...NOT_EMPLOYEE_KINDS],
  },
  {
    name: 'cycle report (unit): reminders and escalations',
    sql: `SELECT n.event, count(*)::int AS n, count(DISTINCT n."evaluationId")::int AS evaluations
      FROM "Notification" n WHERE n."cycleId" = $1 AND n."evaluationId" IN (SELECT e.id FROM "Evaluation" e WHERE e."cycleId" = $2 AND e."unitId" = $3)
        AND n.event IN ('REMINDER', 'ESCALATION')
      GROUP BY 1`,
    params: [CYCLE, CYCLE, UNIT],
  },
  // ---------------------------------------------------------------- admin: one employee
  {
    name: 'audit search about an employee: their evaluations',
    sql: `SELECT "public"."Evaluation"."id" FROM "public"."Evaluation" WHERE ("public"."Evaluation"."employeeId" = $1 AND "public"."Evaluation"."regionId" = $2) OFFSET $3`,
    params: [CALLER, 'reg-big', 0],
  },
  {
    name: "supervisor change: the employee's running evaluations",
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."workflowId" FROM "public"."Evaluation" WHERE ("public"."Evaluation"."employeeId" = $1
      AND "public"."Evaluation"."phase" IN (CAST($2::text AS "public"."Phase"),CAST($3::text AS "public"."Phase"))) OFFSET $4`,
    params: [CALLER, 'TARGET_SETTING', 'PERIODIC', 0],
  },
  {
    name: "supervisor change: the subordinates' running evaluations",
    sql: `SELECT "public"."Evaluation"."id", "public"."Evaluation"."workflowId" FROM "public"."Evaluation" WHERE ("public"."Evaluation"."supervisorId" = $1
      AND "public"."Evaluation"."phase" IN (CAST($2::text AS "public"."Phase"),CAST($3::text AS "public"."Phase"))) OFFSET $4`,
    params: [CALLER, 'TARGET_SETTING', 'PERIODIC', 0],
  },
];

/** The indexes the hot paths depend on, each with a hot query that reads a whole large table without it. */
const NEEDED: readonly (readonly [index: string, query: string])[] = [
  ['Task_evaluationId_status_idx', "projection syncTasks: the evaluation's open tasks"],
  ['Evaluation_reviewerId_idx', '/me: reviews someone (the REVIEWER role)'],
  ['Evaluation_reviewerId_idx', '/me/evaluations?as=reviewer'],
  ['Evaluation_employeeId_idx', '/me/evaluations?as=employee'],
  ['Evaluation_employeeId_idx', 'audit search about an employee: their evaluations'],
  ['Delegation_toEmployeeId_idx', "activeDelegationsTo: the caller's Plt/Plh (/me, /me/tasks, /me/evaluations, every evaluation action)"],
  ['Notification_recipientId_createdAt_id_idx', '/me/notifications: the first page'],
  ['Notification_recipientId_createdAt_id_idx', '/me/notifications: a later page (keyset)'],
];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

interface IndexInfo {
  table: string;
  /** the first key column: an index condition without it reads the whole index */
  leading: string;
}

/** Whether the condition text of a plan names the column ("evaluationId" is printed quoted, status bare). */
const names = (cond: string, column: string) => new RegExp(`(^|[^\\w"])("${column}"|${column})($|[^\\w"])`).test(cond);

/**
 * The plan's reads of whole tables: a sequential scan, or an index scan that does not narrow the index's first
 * column (a full index scan, e.g. `(regionId, status)` for `status = 'OPEN'` alone reads every open task of the region).
 */
function fullScans(node: PlanNode, indexes: Map<string, IndexInfo>): { table: string; how: string }[] {
  const here: { table: string; how: string }[] = [];
  const type = node['Node Type'];
  if (type === 'Seq Scan' && node['Relation Name']) here.push({ table: node['Relation Name'], how: 'Seq Scan' });
  if ((type === 'Index Scan' || type === 'Index Only Scan' || type === 'Bitmap Index Scan') && node['Index Name']) {
    const index = indexes.get(node['Index Name']);
    if (index && !names(node['Index Cond'] ?? '', index.leading)) {
      here.push({ table: index.table, how: `${type} of "${node['Index Name']}" without its first column "${index.leading}"` });
    }
  }
  return [...here, ...(node.Plans ?? []).flatMap((p) => fullScans(p, indexes))];
}

describe.skipIf(!dbKinds().includes('postgres'))('hot queries on a month-end-sized region (PostgreSQL)', () => {
  let db: Db;
  let client: pg.Client;
  /** row counts of the tables at least LARGE_ROWS big, from the statistics the planner uses */
  let large: Map<string, number>;
  let indexes: Map<string, IndexInfo>;

  async function plan(q: Pick<HotQuery, 'sql' | 'params'>): Promise<PlanNode> {
    const res = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${q.sql}`, [...q.params]);
    return res.rows[0]!['QUERY PLAN'][0]!.Plan;
  }

  /** "<query>: <how> on <table> (<rows> rows)" for each read of a whole large table in the query's plan */
  async function violations(q: Pick<HotQuery, 'name' | 'sql' | 'params'>): Promise<string[]> {
    const scans = fullScans(await plan(q), indexes).filter((s) => large.has(s.table));
    return scans.map((s) => `${q.name}: ${s.how} on "${s.table}" (${large.get(s.table)} rows)`);
  }

  beforeAll(async () => {
    db = await createTestDb('postgres');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('BEGIN');
    for (const sql of SEED) await client.query(sql);
    await client.query('COMMIT');
    // autovacuum's own ANALYZE would replace the statistics below with sampled ones at a moment of its choosing
    for (const table of Object.keys(SEEDED)) await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
    // a statistics target of 1000 samples 300,000 rows: every row of every table, so the plans do not depend on a
    // sample; VACUUM sets the visibility map that index-only scans rely on, as autovacuum does in production
    await client.query('SET default_statistics_target = 1000');
    await client.query('VACUUM (ANALYZE)');
    const tables = await client.query<{ relname: string; n: number }>(
      `SELECT relname, reltuples::int AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= $1`,
      [LARGE_ROWS],
    );
    large = new Map(tables.rows.map((r) => [r.relname, r.n]));
    const keys = await client.query<{ index: string; table: string; leading: string }>(
      `SELECT i.relname AS index, t.relname AS table, a.attname AS leading
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
       WHERE t.relnamespace = 'public'::regnamespace`,
    );
    indexes = new Map(keys.rows.map((r) => [r.index, { table: r.table, leading: r.leading }]));
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it('the seed makes every table the hot queries read large', () => {
    for (const [table, n] of Object.entries(SEEDED)) expect(large.get(table), table).toBeGreaterThanOrEqual(n);
  });

  it('the check sees a sequential scan where no index serves a query', async () => {
    const unindexed = { name: 'unindexed', sql: `SELECT id FROM "Task" WHERE "actingForId" = $1`, params: [CALLER] };
    expect(await violations(unindexed)).toEqual(['unindexed: Seq Scan on "Task" (100000 rows)']);
  });

  it.each(NEEDED)('without %s, "%s" reads a whole table', async (index, query) => {
    const q = HOT_QUERIES.find((h) => h.name === query);
    expect(q, query).toBeDefined();
    expect(await violations(q!)).toEqual([]);
    // DROP INDEX is transactional: the plan in the transaction is the one without it, the rollback restores it
    await client.query('BEGIN');
    try {
      await client.query(`DROP INDEX "${index}"`);
      expect((await violations(q!)).length, `${query} without ${index}`).toBeGreaterThan(0);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('no hot query reads the whole of a large table', async () => {
    const found: string[] = [];
    for (const q of HOT_QUERIES) found.push(...(await violations(q)));
    expect(found, `whole reads of large tables (add an index, or make the query use one):\n${found.join('\n')}`).toEqual([]);
  });
});
