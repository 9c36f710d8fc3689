-- AlterEnum
ALTER TYPE "Phase" ADD VALUE 'CALIBRATION';

-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN     "unitCalibration" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Score" ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 0;
