// The class teacher (/class, "👥 My class") and the administration (/substitute, /lessons, "🏫 School today").
// Each screen is its own file; every button re-asks the core, which re-checks access.
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { absencesFeature } from "./absences.ts";
import { classHomeFeature } from "./class-home.ts";
import { classListFeature } from "./class-list.ts";
import { invitesFeature } from "./invites.ts";
import { noticesFeature } from "./notices.ts";
import { openLessonFeature } from "./open-lesson.ts";
import { substituteFeature } from "./substitute.ts";
import { unfilledLessonsFeature } from "./unfilled-lessons.ts";

export const classAdminFeature = new Composer<BotContext>();
classAdminFeature.use(classHomeFeature);
classAdminFeature.use(absencesFeature);
classAdminFeature.use(noticesFeature);
classAdminFeature.use(classListFeature);
classAdminFeature.use(invitesFeature);
classAdminFeature.use(substituteFeature);
classAdminFeature.use(unfilledLessonsFeature);
classAdminFeature.use(openLessonFeature);
