// Per-school settings (School.settings JSON) with defaults from RULES.md; where the regulations differ, the
// stricter value is the default.
import { z } from "zod";
import type { DbOrTx } from "./tx.ts";

export const workTypeSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(24)
    .regex(/^[a-z0-9_]+$/),
  weight: z.number().positive().max(10),
  /** Written work: marks are due within `writtenWorkDays`. */
  written: z.boolean().default(false),
  /** The school's own name for the work type, shown instead of the standard one. */
  label: z.string().min(1).max(40).optional(),
});
export type WorkType = z.infer<typeof workTypeSchema>;

export const DEFAULT_WORK_TYPES: WorkType[] = [
  { code: "oral", weight: 1, written: false }, // ответ на уроке
  { code: "classwork", weight: 1, written: false }, // работа на уроке
  { code: "homework", weight: 1, written: false }, // домашняя работа
  { code: "independent", weight: 1.5, written: true }, // самостоятельная
  { code: "test", weight: 1.5, written: true }, // тест
  { code: "dictation", weight: 2, written: true }, // диктант
  { code: "essay", weight: 2, written: true }, // сочинение
  { code: "lab", weight: 1.5, written: true }, // лабораторная
  { code: "practical", weight: 1.5, written: true }, // практическая
  { code: "control", weight: 2, written: true }, // контрольная
];

export const settingsSchema = z.object({
  /** Marks on the scale, best last. «н/а» is always allowed where `allowNotAttested`. */
  scale: z.array(z.string()).default(["2", "3", "4", "5"]),
  allowNotAttested: z.boolean().default(true),
  workTypes: z.array(workTypeSchema).min(1).default(DEFAULT_WORK_TYPES),
  /** Average ≥ threshold → mark (R-16 suggestion), checked from the highest. */
  thresholds: z.array(z.object({ min: z.number(), mark: z.string() })).default([
    { min: 4.6, mark: "5" },
    { min: 3.6, mark: "4" },
    { min: 2.6, mark: "3" },
    { min: 0, mark: "2" },
  ]),
  /** days after the mark in which its author may correct it with a reason. */
  correctionWindowDays: z.number().int().min(0).default(7),
  /** minutes in which the author may fix a typo silently, before any parent is told. */
  graceMinutes: z.number().int().min(0).default(10),
  /** days after a period ends within which term marks are due. */
  termGradeDeadlineDays: z.number().int().min(0).default(2),
  /** days within which marks for written work are due. */
  writtenWorkDays: z.number().int().min(0).default(7),
  /** grades in which no marks are given. */
  gradesWithoutMarks: z.array(z.number().int().min(1).max(11)).default([1, 2]),
  /** whether subject teachers (not only the class teacher) may set absence reasons. */
  teachersSetAbsenceReasons: z.boolean().default(false),
  /** Whether absence alerts also wait for the end of quiet hours. */
  absenceAlertsRespectQuietHours: z.boolean().default(false),
  /** Days ahead for which lessons are materialised from the timetable. */
  lessonHorizonDays: z.number().int().min(1).max(60).default(14),
  /** subjects (by name) marked pass/fail: their term marks are «зач»/«незач». */
  passFailSubjects: z.array(z.string().min(1).max(100)).default([]),
  /** days before a period ends when teachers are reminded of its term marks. */
  termGradeReminderDaysBefore: z.number().int().min(0).max(30).default(3),
  /** Quiet hours a person gets until they choose their own ("HH:MM"; equal = none). */
  quietHoursDefault: z
    .object({ from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) })
    .default({ from: "21:00", to: "07:00" }),
  /** the school's rights per staff role (configurable rights only; a role absent keeps the defaults). */
  rolePermissions: z.record(z.string(), z.array(z.string())).default({}),
});

export type SchoolSettings = z.infer<typeof settingsSchema>;

export function parseSettings(raw: unknown): SchoolSettings {
  return settingsSchema.parse(raw ?? {});
}

export const defaultSettings: SchoolSettings = parseSettings({});

export interface SchoolInfo {
  id: number;
  name: string;
  timezone: string;
  settings: SchoolSettings;
}

export async function getSchool(db: DbOrTx, schoolId: number): Promise<SchoolInfo> {
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId } });
  return { id: school.id, name: school.name, timezone: school.timezone, settings: parseSettings(school.settings) };
}

export function workTypeOf(settings: SchoolSettings, code: string): WorkType | undefined {
  return settings.workTypes.find((w) => w.code === code);
}
