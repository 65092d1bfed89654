// Notices and messages (issue 5 items 5–6): the outbox handlers that deliver class notices, relay messages
// between parents and teachers, and tell the class teacher about a parent's absence notice.
import { absenceNoticeCreatedHandler } from "../notices-messages/absence-notice-created.ts";
import { announcementCreatedHandler } from "../notices-messages/announcement-created.ts";
import { correspondenceCreatedHandler } from "../notices-messages/correspondence-created.ts";
import type { JobsModuleFactory } from "./index.ts";

export const NOTICES_MESSAGES_HANDLERS = [
  announcementCreatedHandler,
  correspondenceCreatedHandler,
  absenceNoticeCreatedHandler,
];

export const notesModule: JobsModuleFactory = () => ({ handlers: NOTICES_MESSAGES_HANDLERS });
