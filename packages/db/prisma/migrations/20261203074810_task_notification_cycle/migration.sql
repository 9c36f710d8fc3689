-- A task and a notification carry their evaluation's cycle, so the cycle report counts them without joining the
-- cycle's evaluations. Existing rows take it from their evaluation.

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "cycleId" TEXT;
UPDATE "Task" t SET "cycleId" = e."cycleId" FROM "Evaluation" e WHERE e.id = t."evaluationId";
ALTER TABLE "Task" ALTER COLUMN "cycleId" SET NOT NULL;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "cycleId" TEXT;
UPDATE "Notification" n SET "cycleId" = e."cycleId" FROM "Evaluation" e WHERE e.id = n."evaluationId";

-- DropIndex
DROP INDEX "Notification_regionId_event_evaluationId_idx";

-- CreateIndex
CREATE INDEX "Notification_cycleId_event_evaluationId_idx" ON "Notification"("cycleId", "event", "evaluationId");

-- CreateIndex
CREATE INDEX "Task_cycleId_status_dueAt_idx" ON "Task"("cycleId", "status", "dueAt");

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
