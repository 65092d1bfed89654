// A student's homework for the family: due in a date range, general and individual for this student only.
import type { AnyActor } from "../actor.ts";
import type { IsoDate } from "../dates.ts";
import { parseInput } from "../journal/common.ts";
import { homeworkRangeSchema, type StudentHomeworkItem, visibleHomework } from "../journal/homework.ts";
import type { Db } from "../tx.ts";
import { familyAccess, logFamilyView } from "./family-read.ts";

export interface StudentHomeworkResult {
  studentId: number;
  from: IsoDate;
  to: IsoDate;
  items: StudentHomeworkItem[];
}

export async function studentHomework(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; from: IsoDate; to: IsoDate },
): Promise<StudentHomeworkResult> {
  const reader = await familyAccess(db, actor, Number(input?.studentId), "homework");
  const { studentId, from, to } = parseInput(homeworkRangeSchema, input);
  await logFamilyView(db, actor, reader);
  const items = await visibleHomework(db, actor.schoolId, studentId, { by: "due", from, to });
  return { studentId, from, to, items };
}
