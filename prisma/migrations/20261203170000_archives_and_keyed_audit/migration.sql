-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "Archive" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "periodId" INTEGER,
    "yearId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "manifestSha256" TEXT NOT NULL,
    "fileCount" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "auditLastId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "keepUntil" DATE NOT NULL,
    "prunedAt" TIMESTAMP(3),

    CONSTRAINT "Archive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArchiveCheck" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "checked" INTEGER NOT NULL,
    "problems" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "ArchiveCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Archive_schoolId_idx" ON "Archive"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "Archive_schoolId_path_key" ON "Archive"("schoolId", "path");

-- CreateIndex
CREATE INDEX "ArchiveCheck_schoolId_at_idx" ON "ArchiveCheck"("schoolId", "at");

-- AddForeignKey
ALTER TABLE "Archive" ADD CONSTRAINT "Archive_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArchiveCheck" ADD CONSTRAINT "ArchiveCheck_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
