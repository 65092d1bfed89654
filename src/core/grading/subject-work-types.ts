// Which work types a subject's marks are offered with: a dictation belongs to languages (and the mathematical
// and musical dictations), an essay to languages, literature and the humanities, a lab to the sciences; every
// other work type of the school (oral, classwork, homework, independent, test, practical, control…) fits any
// subject. A subject is recognised by the stem of its name as the school spells it; the stems are Cyrillic by
// nature (the schools' own subject names) and live in this file only. A subject no stem matches — a school's
// own course — is offered every work type that is not tied to particular subjects.
import type { SchoolSettings, WorkType } from "../settings.ts";

const LANGUAGES = ["русск", "родн", "литератур", "английск", "немецк", "французск", "испанск", "китайск", "иностран"];

/** Work types tied to subjects: code → the stems of the subjects' names (lower case, «ё» as «е»). */
export const SUBJECT_BOUND_WORK_TYPES: Readonly<Record<string, readonly string[]>> = {
  dictation: [...LANGUAGES, "математ", "алгебр", "геометр", "музык"],
  essay: [...LANGUAGES, "истор", "обществ", "мхк", "искусств"],
  lab: ["физик", "хими", "биолог", "естеств", "окружающ", "природ", "астроном", "информат", "технолог", "экологи"],
};

const norm = (s: string) => s.trim().toLowerCase().replaceAll("ё", "е");

/** Whether a work type is offered for marks in a subject of this name. */
export function fitsSubject(workTypeCode: string, subjectName: string): boolean {
  const stems = SUBJECT_BOUND_WORK_TYPES[workTypeCode];
  if (!stems) return true;
  const name = norm(subjectName);
  return stems.some((stem) => name.includes(stem));
}

/** The school's work types offered for a subject, in the school's order. */
export function workTypesForSubject(settings: SchoolSettings, subjectName: string): WorkType[] {
  return settings.workTypes.filter((w) => fitsSubject(w.code, subjectName));
}
