// The persistent reply keyboard a person gets with the welcome. Empty for now: the teacher and family
// features add their buttons here (e.g. «Сегодня» for teachers, the family menu for guardians).
import type { ReplyKeyboardMarkup } from "grammy/types";
import type { PersonDescription } from "../../core/accounts/index.ts";
import type { InnerContext } from "../context.ts";

export function mainMenu(_ctx: InnerContext, _person: PersonDescription): ReplyKeyboardMarkup | undefined {
  return undefined;
}
