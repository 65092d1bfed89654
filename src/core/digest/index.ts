// Digests for families (issue 5 item 3): composition as plain data (jobs render and send it), who is due one,
// and the guardian's acknowledgement.
export { type AcknowledgeDigestInput, type AcknowledgeDigestResult, acknowledgeDigest } from "./acknowledge.ts";
export { type ComposeOptions, composeDailyDigest, composeDailyDigests, MAX_DIGEST_BATCH } from "./compose-daily.ts";
export { composeWeeklySummaries, composeWeeklySummary } from "./compose-weekly.ts";
export { type DigestKind, digestDedupKey, summaryWeekOf } from "./keys.ts";
export {
  DEFAULT_DIGEST_TIME,
  type DigestRecipient,
  digestDayOf,
  digestMinutesOf,
  listDigestRecipients,
  MORNING_DIGEST_BEFORE_MINUTES,
  timesBetween,
} from "./recipients.ts";
export type * from "./types.ts";
