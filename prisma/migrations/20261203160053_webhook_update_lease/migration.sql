-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "handledAt" TIMESTAMP(3),
ADD COLUMN     "holder" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- Rows written before this migration were taken before handling and never retried: count them as handled.
UPDATE "ProcessedUpdate" SET "handledAt" = "createdAt" WHERE "handledAt" IS NULL;
