// The outbox handlers the jobs layer ships with. Other features add theirs through createJobs({ handlers }).
import type { OutboxHandler } from "../outbox/handler.ts";
import { attendanceAbsentHandler } from "./attendance-absent.ts";
import { markCorrectedHandler } from "./mark-corrected.ts";
import { markCreatedHandler } from "./mark-created.ts";
import { substitutionGrantedHandler } from "./substitution-granted.ts";

export const BUILTIN_OUTBOX_HANDLERS: OutboxHandler[] = [
  attendanceAbsentHandler,
  markCreatedHandler,
  markCorrectedHandler,
  substitutionGrantedHandler,
];
