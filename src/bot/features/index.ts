// Features in order; `unhandled` stays last. Conversations are registered by their features.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { classAdminFeature } from "./class-admin/index.ts";
import { digestFeature } from "./digest/index.ts";
import { familyConversations } from "./family/digest-time.ts";
import { familyFeature } from "./family/index.ts";
import { groupChatsFeature } from "./group-chats.ts";
import { helpFeature } from "./help.ts";
import { noticesMessagesFeature } from "./notices-messages/index.ts";
import { periodCloseFeature } from "./period-close/index.ts";
import { reportsFeature } from "./reports/index.ts";
import { schoolSettingsFeature } from "./school-settings/index.ts";
import { schoolYearFeature } from "./school-year/index.ts";
import { startFeature } from "./start.ts";
import { studentDirectoryFeature } from "./student-directory/index.ts";
import { teacherLessonConversations, teacherLessonFeature } from "./teacher-lesson/index.ts";
import { teacherMarksConversations, teacherMarksFeature } from "./teacher-marks/index.ts";
import { termGradesConversations, termGradesFeature } from "./term-grades/index.ts";
import { unhandledFeature } from "./unhandled.ts";

/** `extra` (tests, optional modules) run after the built-in features and before `unhandled`. */
export function features(extra: Composer<BotContext>[] = []): Composer<BotContext> {
  const all = new Composer<BotContext>();
  // Groups and channels: silence, except /start and /help (group-chats.ts). Before anything else.
  all.use(groupChatsFeature);
  // Conversations that must see every update first, to be left when the person moves on (a command, a button).
  all.use(teacherLessonConversations);
  all.use(teacherMarksConversations);
  all.use(termGradesConversations);
  all.use(familyConversations);
  all.use(startFeature);
  all.use(helpFeature);
  // Teachers (issue 4): the day, lesson card, attendance, topic and homework; marks and corrections;
  // the class teacher and the administration.
  all.use(teacherLessonFeature);
  all.use(teacherMarksFeature);
  all.use(classAdminFeature);
  // The end of a term (issue 10): term and year marks.
  all.use(termGradesFeature);
  all.use(periodCloseFeature);
  all.use(schoolSettingsFeature);
  // Reports and the printed journal (issue 10).
  all.use(reportsFeature);
  // Families (issue 5): linking and consent, the diary, settings; digests; notices and messages.
  all.use(familyFeature);
  all.use(digestFeature);
  all.use(noticesMessagesFeature);
  // The school year (issue 11): movement, calendar, news.
  all.use(schoolYearFeature);
  // Staff who read any student: the student directory.
  all.use(studentDirectoryFeature);
  for (const feature of extra) all.use(feature);
  all.use(unhandledFeature);
  return all;
}
