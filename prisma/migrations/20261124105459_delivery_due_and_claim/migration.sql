-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Delivery_botId_chatId_dueAt_idx" ON "Delivery"("botId", "chatId", "dueAt");
