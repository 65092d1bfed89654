-- AlterTable
ALTER TABLE "Preference" ADD COLUMN     "alertTermGrade" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "TermGrade" ADD COLUMN     "late" BOOLEAN NOT NULL DEFAULT false;
