// The persistent reply keyboard a person gets with the welcome, by role: teachers get their day, class
// teachers their class, the administration the school's lessons, families and students the diary buttons.
// Features react to these buttons with `bot.hears(menuLabels("myDay"), ...)`, in every language.
import type { KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import { can } from "../../core/access/index.ts";
import type { PersonDescription } from "../../core/accounts/index.ts";
import type { Actor } from "../../core/actor.ts";
import { readsAllStudents } from "../../core/family/index.ts";
import { LANGUAGES, translator } from "../../i18n.ts";
import type { InnerContext } from "../context.ts";

export const MENU_KEYS = [
  "myDay",
  "myClass",
  "school",
  "reports",
  "students",
  "invites",
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

/** What the school lets the person do beyond their own lessons and class, as the core decides for them. */
export interface MenuRights {
  /** The school's lessons of the day ("🏫 School today"): journal.read.all. */
  schoolJournal: boolean;
  /** The school's reports: report.school. */
  schoolReports: boolean;
  /** Open any student's page. */
  readsAllStudents: boolean;
  /** Invite the families of any class, without the class's other screens (a secretary). */
  invitesAnyFamily: boolean;
}

const NO_RIGHTS: MenuRights = {
  schoolJournal: false,
  schoolReports: false,
  readsAllStudents: false,
  invitesAnyFamily: false,
};

export function menuRights(actor: Actor | null): MenuRights {
  if (!actor) return NO_RIGHTS;
  return {
    schoolJournal: can(actor, "journal.read.all"),
    schoolReports: can(actor, "report.school"),
    readsAllStudents: readsAllStudents(actor),
    invitesAnyFamily: can(actor, "invite.family.all") && !can(actor, "journal.read.all"),
  };
}

export function menuKeysFor(person: PersonDescription, rights: MenuRights = NO_RIGHTS): MenuKey[][] {
  const roles = new Set(person.roles);
  const rows: MenuKey[][] = [];
  const staffRow: MenuKey[] = [];
  if (roles.has("TEACHER")) staffRow.push("myDay");
  if (roles.has("CLASS_TEACHER")) staffRow.push("myClass");
  if (rights.schoolJournal) staffRow.push("school");
  if (rights.schoolReports) staffRow.push("reports");
  for (const key of ["students", "invites"] as const) {
    const has = key === "students" ? rights.readsAllStudents : rights.invitesAnyFamily;
    if (has && staffRow.length < 3) staffRow.push(key);
    else if (has) rows.push([key]);
  }
  if (staffRow.length) rows.unshift(staffRow);
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
  const rows = menuKeysFor(person, menuRights(ctx.actor));
  if (rows.length === 0) return { remove_keyboard: true };
  const keyboard: KeyboardButton[][] = rows.map((row) => row.map((key) => ({ text: ctx.t(`bot:menu.${key}`) })));
  return { keyboard, resize_keyboard: true, is_persistent: true };
}
