-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "sendHorizon" TIMESTAMP(3);
