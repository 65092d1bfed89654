// Messages between guardians and teachers about a child, kept as correspondence (issue 5 item 6, R-22).
export type { ChildTeacher, ChildTeachers } from "./child-teachers.ts";
export {
  type InboxEntry,
  inbox,
  type MessageToAnswer,
  messageToAnswer,
  type Thread,
  type ThreadMessage,
  thread,
} from "./correspondence-read.ts";
export { MESSAGE_MAX_TEXT, type MessageSent, sendMessage } from "./send-message.ts";
export { teachersOfChild } from "./teachers-of-child.ts";
