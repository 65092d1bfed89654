// The outbox handlers the jobs layer ships with. Other features add theirs through createJobs({ handlers }).
import type { OutboxHandler } from "../outbox/handler.ts";
import { attendanceAbsentHandler } from "./attendance-absent.ts";
import { homeworkCreatedHandler, homeworkUpdatedHandler } from "./homework.ts";
import { markCorrectedHandler } from "./mark-corrected.ts";
import { markCreatedHandler } from "./mark-created.ts";
import { markVoidedHandler } from "./mark-voided.ts";
import { substitutionGrantedHandler } from "./substitution-granted.ts";

export const BUILTIN_OUTBOX_HANDLERS: OutboxHandler[] = [
  attendanceAbsentHandler,
  markCreatedHandler,
  markCorrectedHandler,
  markVoidedHandler,
  homeworkCreatedHandler,
  homeworkUpdatedHandler,
  substitutionGrantedHandler,
];
