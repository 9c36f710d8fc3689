-- CreateEnum
CREATE TYPE "SimulationStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ProjectionFailure" (
    "id" TEXT NOT NULL,
    "regionId" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "changeKinds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,

    CONSTRAINT "ProjectionFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimulationRun" (
    "id" TEXT NOT NULL,
    "regionId" TEXT NOT NULL,
    "ruleSetVersionId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "status" "SimulationStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SimulationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProjectionFailure_regionId_resolvedAt_idx" ON "ProjectionFailure"("regionId", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectionFailure_evaluationId_seq_key" ON "ProjectionFailure"("evaluationId", "seq");

-- CreateIndex
CREATE INDEX "SimulationRun_regionId_createdAt_idx" ON "SimulationRun"("regionId", "createdAt");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");
