// Class and school notices with delivery, read and acknowledgement tracking (issue 5 item 5, R-24).
export { type Acknowledged, acknowledgeAnnouncement, openAnnouncementFile } from "./acknowledge-announcement.ts";
export { ANNOUNCEMENT_MAX_TEXT, type AnnouncementFile } from "./announcement-input.ts";
export { type AnnouncementStats, announcementStats, type NotAcknowledged } from "./announcement-stats.ts";
export {
  type AnnouncementCreated,
  type AnnouncementInput,
  type AnnouncementPreview,
  createAnnouncement,
  previewAnnouncement,
} from "./create-announcement.ts";
export { type MyAnnouncement, myAnnouncements } from "./my-announcements.ts";
export { type AnnouncementScope, type Audience, type Recipient, resolveRecipients } from "./recipients.ts";
export { type AnnounceTargets, announceTargets } from "./targets.ts";
