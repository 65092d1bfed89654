// The persistent reply keyboard a person gets with the welcome, by role: teachers get their day, class
// teachers their class, the administration the school's lessons, families and students the diary buttons.
// Features react to these buttons with `bot.hears(menuLabels("myDay"), ...)`, in every language.
import type { KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import type { PersonDescription } from "../../core/accounts/index.ts";
import { readsAllStudents } from "../../core/family/index.ts";
import { LANGUAGES, translator } from "../../i18n.ts";
import type { InnerContext } from "../context.ts";

export const MENU_KEYS = [
  "myDay",
  "myClass",
  "school",
  "reports",
  "students",
  "today",
  "marks",
  "homework",
  "timetable",
  "write",
  "settings",
] as const;
export type MenuKey = (typeof MENU_KEYS)[number];

/**
 * The button's text in every language (a person may switch language while an old keyboard is shown), and the
 * same words typed by hand: without the leading emoji, in any case (the label of "my day" in lower case).
 */
export function menuLabels(key: MenuKey): string[] {
  const labels = LANGUAGES.map((lng) => translator(lng)(`bot:menu.${key}`));
  const typed = labels.map((l) => l.replace(/^[^\p{L}\p{N}]+/u, "").trim());
  return [...new Set([...labels, ...typed, ...typed.map((t) => t.toLowerCase())])];
}

/** `readsAllStudents`: the person may open any student's page, as the core decides for their actor. */
export function menuKeysFor(person: PersonDescription, readsAllStudents = false): MenuKey[][] {
  const roles = new Set(person.roles);
  const rows: MenuKey[][] = [];
  const staffRow: MenuKey[] = [];
  if (roles.has("TEACHER")) staffRow.push("myDay");
  if (roles.has("CLASS_TEACHER")) staffRow.push("myClass");
  if (roles.has("DIRECTOR") || roles.has("DEPUTY") || roles.has("ADMIN")) staffRow.push("school", "reports");
  if (readsAllStudents && staffRow.length < 3) staffRow.push("students");
  if (staffRow.length) rows.push(staffRow);
  if (readsAllStudents && !staffRow.includes("students")) rows.push(["students"]);
  if (roles.has("GUARDIAN") || roles.has("STUDENT")) {
    rows.push(["today", "marks"], ["homework", "timetable"]);
    rows.push(roles.has("GUARDIAN") ? ["write", "settings"] : ["settings"]);
  } else if (rows.length) {
    rows.push(["settings"]);
  }
  return rows;
}

/** The person's menu; with nothing to offer, an instruction to take away a keyboard left from an earlier role. */
export function mainMenu(ctx: InnerContext, person: PersonDescription): ReplyKeyboardMarkup | ReplyKeyboardRemove {
  const rows = menuKeysFor(person, ctx.actor ? readsAllStudents(ctx.actor) : false);
  if (rows.length === 0) return { remove_keyboard: true };
  const keyboard: KeyboardButton[][] = rows.map((row) => row.map((key) => ({ text: ctx.t(`bot:menu.${key}`) })));
  return { keyboard, resize_keyboard: true, is_persistent: true };
}
