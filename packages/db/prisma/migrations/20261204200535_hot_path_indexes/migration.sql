-- The indexes the hot paths read by (packages/db/test/indexes.test.ts plans each query on a seeded region): the caller's
-- delegations on every /me request and evaluation action, the reviewer's and the employee's evaluations, the
-- recipient's notification list.

-- CreateIndex
CREATE INDEX "Delegation_toEmployeeId_idx" ON "Delegation"("toEmployeeId");
-- CreateIndex
CREATE INDEX "Evaluation_reviewerId_idx" ON "Evaluation"("reviewerId");
-- CreateIndex
CREATE INDEX "Evaluation_employeeId_idx" ON "Evaluation"("employeeId");
-- CreateIndex
CREATE INDEX "Notification_recipientId_createdAt_id_idx" ON "Notification"("recipientId", "createdAt", "id");
