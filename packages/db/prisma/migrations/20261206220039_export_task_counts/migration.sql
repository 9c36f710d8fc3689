-- The exports' open and overdue task counts per evaluation (report.csv, report.xlsx): an index-only scan of the
-- cycle's open tasks in evaluation order, counted group by group, instead of reading each task's row and hashing.

-- CreateIndex
CREATE INDEX "Task_cycleId_status_evaluationId_dueAt_idx" ON "Task"("cycleId", "status", "evaluationId", "dueAt");
