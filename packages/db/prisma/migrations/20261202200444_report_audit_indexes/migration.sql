-- CreateIndex
CREATE INDEX "AuditEvent_regionId_entityId_idx" ON "AuditEvent"("regionId", "entityId" text_pattern_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_regionId_actorUserId_seq_idx" ON "AuditEvent"("regionId", "actorUserId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_regionId_actorEmployeeId_seq_idx" ON "AuditEvent"("regionId", "actorEmployeeId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_regionId_actingForId_seq_idx" ON "AuditEvent"("regionId", "actingForId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_regionId_action_idx" ON "AuditEvent"("regionId", "action" text_pattern_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_regionId_at_idx" ON "AuditEvent"("regionId", "at");

-- CreateIndex
CREATE INDEX "Employee_regionId_name_id_idx" ON "Employee"("regionId", "name", "id");

-- CreateIndex
CREATE INDEX "Employee_unitId_nip_idx" ON "Employee"("unitId", "nip");

-- CreateIndex
CREATE INDEX "Evaluation_cycleId_unitId_phase_idx" ON "Evaluation"("cycleId", "unitId", "phase");

-- CreateIndex
CREATE INDEX "Notification_regionId_event_evaluationId_idx" ON "Notification"("regionId", "event", "evaluationId");

-- CreateIndex
CREATE INDEX "Task_evaluationId_status_idx" ON "Task"("evaluationId", "status");
