// Callback data of the class teacher's and the administration's screens. Every id here is re-checked by the
// core service the handler calls; dates travel as yyyymmdd integers (0 = today in the school's time zone).
import { defineCallback } from "../../callback-data.ts";

/** The class screen of a day. */
export const classHome = defineCallback("ca_h", { classId: "int", date: "int" });
/** The list of the classes the teacher leads. */
export const classPick = defineCallback("ca_p", {});
/** Absences without a reason, a page of student-days. */
export const unexcusedList = defineCallback("ca_u", { classId: "int", page: "int" });
/** One student's absences of one day, lesson by lesson. */
export const absenceDay = defineCallback("ca_d", { classId: "int", studentId: "int", date: "int" });
/** A reason for all of a student's absences without a reason that day; `back`: "l" list, "d" the day. */
export const dayReason = defineCallback("ca_g", {
  classId: "int",
  studentId: "int",
  date: "int",
  reason: "word",
  back: "word",
});
/** A reason for one absence (then back to that student's day). */
export const lessonReason = defineCallback("ca_r", {
  classId: "int",
  studentId: "int",
  date: "int",
  attendanceId: "int",
  reason: "word",
});
/** Parents' advance notices waiting for confirmation, and the confirmation of one. */
export const noticeList = defineCallback("ca_n", { classId: "int" });
export const noticeConfirm = defineCallback("ca_c", { classId: "int", noticeId: "int" });
/** The class list with families' links, a page. */
export const rosterPage = defineCallback("ca_l", { classId: "int", page: "int" });
/** Invites: the overview, sending one message per family, the printable sheet. */
export const inviteMenu = defineCallback("ca_i", { classId: "int" });
/** The classes to pick for invites, for staff who invite any family (a secretary). */
export const inviteClassList = defineCallback("ca_ic", {});
export const inviteSend = defineCallback("ca_s", { classId: "int" });
export const inviteSheet = defineCallback("ca_f", { classId: "int" });
/** A button that only labels the row under it. */
export const noop = defineCallback("ca_x", {});

/** Substitutions: the school's lessons of a day (slot 0 = all or the slot picker), a lesson's candidates. */
export const subDay = defineCallback("ca_sd", { date: "int", slot: "int" });
export const subLesson = defineCallback("ca_sl", { date: "int", lessonId: "int", page: "int" });
export const subGrant = defineCallback("ca_sg", { date: "int", lessonId: "int", personId: "int" });
export const subRevoke = defineCallback("ca_sr", { date: "int", lessonId: "int", substitutionId: "int" });
/** "📘 Open the lesson": the lesson card (teacher-lesson), read-only or with marks correction for the administration. */
export const openLesson = defineCallback("ca_ol", { lessonId: "int" });
/** Unfilled lessons of a day: the teachers; one teacher's lessons (`personId`: who keeps them). */
export const unfilledDay = defineCallback("ca_ul", { date: "int" });
export const unfilledTeacher = defineCallback("ca_ut", { date: "int", personId: "int" });
/** "📘" on one teacher's unfilled lessons: the card, whose "‹ Back" returns to that teacher's list. */
export const openUnfilledLesson = defineCallback("ca_uo", { lessonId: "int", date: "int", personId: "int" });
