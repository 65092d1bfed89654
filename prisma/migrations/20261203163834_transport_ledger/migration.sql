-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "sendRate" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "buttons" JSONB,
ADD COLUMN     "messageIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "ref" JSONB,
ADD COLUMN     "text" TEXT;

-- AlterTable
ALTER TABLE "Preference" ADD COLUMN     "alertHomework" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "RateScope" (
    "key" TEXT NOT NULL,
    "tat" DOUBLE PRECISION NOT NULL,
    "lastAt" DOUBLE PRECISION NOT NULL,
    "blockedUntil" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RateScope_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Delivery_status_dueAt_idx" ON "Delivery"("status", "dueAt");
