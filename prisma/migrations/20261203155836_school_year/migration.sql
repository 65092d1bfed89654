-- CreateEnum
CREATE TYPE "MovementKind" AS ENUM ('ADMISSION', 'LEAVING', 'TRANSFER', 'SUBGROUP', 'PROMOTION', 'HELD_BACK', 'GRADUATION');

-- CreateEnum
CREATE TYPE "SchoolEventKind" AS ENUM ('MEETING', 'EXAM', 'HOLIDAY', 'EVENT');

-- CreateTable
CREATE TABLE "StudentMovement" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "studentId" INTEGER NOT NULL,
    "kind" "MovementKind" NOT NULL,
    "fromClassId" INTEGER,
    "toClassId" INTEGER,
    "subjectId" INTEGER,
    "fromSubgroup" INTEGER,
    "toSubgroup" INTEGER,
    "date" DATE NOT NULL,
    "orderNo" TEXT NOT NULL,
    "orderDate" DATE NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudentMovement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarOrder" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "kind" "CalendarDayKind" NOT NULL,
    "fromDate" DATE NOT NULL,
    "toDate" DATE NOT NULL,
    "classId" INTEGER,
    "weekdayAs" INTEGER,
    "note" TEXT,
    "orderNo" TEXT NOT NULL,
    "orderDate" DATE NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolEvent" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "kind" "SchoolEventKind" NOT NULL,
    "date" DATE NOT NULL,
    "time" TEXT,
    "title" TEXT NOT NULL,
    "scope" "AnnouncementScope" NOT NULL,
    "classId" INTEGER,
    "grade" INTEGER,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchoolEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StudentMovement_schoolId_date_idx" ON "StudentMovement"("schoolId", "date");

-- CreateIndex
CREATE INDEX "StudentMovement_studentId_idx" ON "StudentMovement"("studentId");

-- CreateIndex
CREATE INDEX "CalendarOrder_schoolId_fromDate_idx" ON "CalendarOrder"("schoolId", "fromDate");

-- CreateIndex
CREATE INDEX "CalendarOrder_classId_idx" ON "CalendarOrder"("classId");

-- CreateIndex
CREATE INDEX "SchoolEvent_schoolId_date_idx" ON "SchoolEvent"("schoolId", "date");
