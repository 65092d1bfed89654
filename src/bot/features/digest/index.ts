// Digests in the bot (issue 5 item 3): the digests themselves are sent by the jobs layer
// (src/jobs/modules/digest.ts); here is what a guardian does with one.
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { digestAckFeature } from "./acknowledge.ts";

export const digestFeature = new Composer<BotContext>();
digestFeature.use(digestAckFeature);
