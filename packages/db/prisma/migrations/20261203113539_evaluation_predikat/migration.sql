-- DropIndex
DROP INDEX "Evaluation_cycleId_unitId_phase_idx";
-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "predikat" TEXT;
-- CreateIndex
CREATE INDEX "Evaluation_cycleId_unitId_phase_predikat_idx" ON "Evaluation"("cycleId", "unitId", "phase", "predikat");
-- CreateIndex
CREATE INDEX "Task_cycleId_kind_status_escalated_dueAt_idx" ON "Task"("cycleId", "kind", "status", "escalated", "dueAt");

-- Evaluation.predikat follows the evaluation's scores, whoever writes them (the scoring activity, the projection's
-- finalisation, a calibration round, a seed): the FINAL score's predikat, else the INITIAL one's, else null.
CREATE FUNCTION "Evaluation_predikat_of"(evaluation TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT predikat FROM "Score" WHERE "evaluationId" = evaluation ORDER BY (kind = 'FINAL') DESC LIMIT 1
$$;

CREATE FUNCTION "Score_keeps_Evaluation_predikat"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD."evaluationId" <> NEW."evaluationId") THEN
    UPDATE "Evaluation" SET "predikat" = "Evaluation_predikat_of"(OLD."evaluationId") WHERE id = OLD."evaluationId";
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE "Evaluation" SET "predikat" = "Evaluation_predikat_of"(NEW."evaluationId") WHERE id = NEW."evaluationId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Score_keeps_Evaluation_predikat"
  AFTER INSERT OR DELETE OR UPDATE OF "predikat", "kind", "evaluationId" ON "Score"
  FOR EACH ROW EXECUTE FUNCTION "Score_keeps_Evaluation_predikat"();

UPDATE "Evaluation" e SET "predikat" = "Evaluation_predikat_of"(e.id) WHERE EXISTS (SELECT 1 FROM "Score" s WHERE s."evaluationId" = e.id);
