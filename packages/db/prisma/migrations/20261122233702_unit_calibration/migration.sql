-- AlterEnum
ALTER TYPE "Phase" ADD VALUE 'CALIBRATION';

-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN     "unitCalibration" BOOLEAN NOT NULL DEFAULT false;
