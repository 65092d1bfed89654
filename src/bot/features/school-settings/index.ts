// /school_settings (R-07, R-14, R-15, R-16): the director or the administrator changes the school's settings in
// taps — the typo grace period, the correction window, the term-mark deadline, the rounding thresholds, the grades
// without marks, the quiet-hours default, the work types' weights and each staff role's rights. Each tap is one
// core call (validated, audited); a deputy, a teacher or a forged button gets a refusal and nothing changes.
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Permission } from "../../../core/access/permissions.ts";
import type { StaffRole } from "../../../core/actor.ts";
import { isAppError } from "../../../core/errors.ts";
import {
  type SchoolSettingsPatch,
  type SchoolSettingsView,
  schoolSettings,
  updateSchoolSettings,
} from "../../../core/school-settings/update-school-settings.ts";
import { defineCallback } from "../../callback-data.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, type Screen, show } from "../../ui/index.ts";
import { refusingWith } from "../term-grades/guard.ts";

/** `action` names what to change or which screen to show; `value` how (up, dn, a code, an index). */
export const schoolSettingCallback = defineCallback("sst", { action: "word", value: "word" });

const QUIET_CHOICES = [
  { from: "21:00", to: "07:00" },
  { from: "22:00", to: "07:00" },
  { from: "20:00", to: "08:00" },
  { from: "00:00", to: "00:00" },
];
const THRESHOLD_MARKS = ["5", "4", "3"] as const;

const cb = (action: string, value: string) => schoolSettingCallback.encode({ action, value });
const btn = (text: string, action: string, value: string): InlineKeyboardButton => ({
  text,
  callback_data: cb(action, value),
});
const num = (ctx: BotContext, n: number) => (ctx.lng === "ru" ? String(n).replace(".", ",") : String(n));

function workTypeName(ctx: BotContext, w: { code: string; label?: string }): string {
  return w.label ?? ctx.t(`teacher-marks:workTypes.${w.code}`, { defaultValue: w.code });
}

function quietText(ctx: BotContext, q: { from: string; to: string }): string {
  return q.from === q.to ? ctx.t("school-settings:quietNone") : `${q.from}–${q.to}`;
}

function mainScreen(ctx: BotContext, v: SchoolSettingsView, note?: string): Screen {
  const s = v.settings;
  const thr = [...s.thresholds]
    .sort((a, b) => Number(b.mark) - Number(a.mark))
    .map((x) => ctx.t("school-settings:threshold", { mark: x.mark, min: num(ctx, x.min) }))
    .join("; ");
  const lines = [
    ...(note ? [note, ""] : []),
    ctx.t("school-settings:title"),
    "",
    ctx.t("school-settings:grace", { count: s.graceMinutes }),
    ctx.t("school-settings:window", { count: s.correctionWindowDays }),
    ctx.t("school-settings:deadline", { count: s.termGradeDeadlineDays }),
    ctx.t("school-settings:thresholds", { list: thr }),
    ctx.t("school-settings:noMarks", {
      list: s.gradesWithoutMarks.length ? [...s.gradesWithoutMarks].sort((a, b) => a - b).join(", ") : "—",
    }),
    ctx.t("school-settings:quiet", { value: quietText(ctx, s.quietHoursDefault) }),
    ctx.t("school-settings:workTypes", { count: s.workTypes.length }),
    "",
    ctx.t("school-settings:audited"),
  ];
  const keyboard: InlineKeyboardButton[][] = [
    [btn(ctx.t("school-settings:b.graceDn"), "grace", "dn"), btn(ctx.t("school-settings:b.graceUp"), "grace", "up")],
    [
      btn(ctx.t("school-settings:b.windowDn"), "window", "dn"),
      btn(ctx.t("school-settings:b.windowUp"), "window", "up"),
    ],
    [
      btn(ctx.t("school-settings:b.deadlineDn"), "deadline", "dn"),
      btn(ctx.t("school-settings:b.deadlineUp"), "deadline", "up"),
    ],
    ...THRESHOLD_MARKS.map((m) => [
      btn(ctx.t("school-settings:b.thrDn", { mark: m }), `thr${m}`, "dn"),
      btn(ctx.t("school-settings:b.thrUp", { mark: m }), `thr${m}`, "up"),
    ]),
    [1, 2, 3, 4].map((g) =>
      btn(
        `${s.gradesWithoutMarks.includes(g) ? "✓ " : ""}${ctx.t("school-settings:b.grade", { grade: g })}`,
        "grade",
        String(g),
      ),
    ),
    [btn(ctx.t("school-settings:b.quiet", { value: quietText(ctx, s.quietHoursDefault) }), "quiet", "next")],
    [btn(ctx.t("school-settings:b.workTypes"), "menu", "wt"), btn(ctx.t("school-settings:b.roles"), "menu", "roles")],
  ];
  return { text: lines.join("\n"), keyboard };
}

function workTypesScreen(ctx: BotContext, v: SchoolSettingsView): Screen {
  const lines = [ctx.t("school-settings:workTypesTitle"), ""];
  const keyboard: InlineKeyboardButton[][] = [];
  for (const w of v.settings.workTypes) {
    const name = workTypeName(ctx, w);
    lines.push(ctx.t("school-settings:workTypeLine", { name, weight: num(ctx, w.weight) }));
    keyboard.push([
      btn(`${name} −${num(ctx, 0.5)}`, "wt", `${w.code}.dn`),
      btn(`+${num(ctx, 0.5)}`, "wt", `${w.code}.up`),
    ]);
  }
  lines.push("", ctx.t("school-settings:labelsHint"));
  keyboard.push([btn(ctx.t("school-settings:b.back"), "menu", "main")]);
  return { text: lines.join("\n"), keyboard };
}

function rolesScreen(ctx: BotContext, v: SchoolSettingsView): Screen {
  const lines = [ctx.t("school-settings:rolesTitle"), ""];
  for (const r of v.roles) {
    lines.push(
      ctx.t("school-settings:roleLine", { role: ctx.t(`school-settings:role.${r.role}`), count: r.permissions.length }),
    );
  }
  const buttons = v.roles.map((r) => btn(ctx.t(`school-settings:role.${r.role}`), "menu", `r_${r.role}`));
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 2) keyboard.push(buttons.slice(i, i + 2));
  keyboard.push([btn(ctx.t("school-settings:b.back"), "menu", "main")]);
  return { text: lines.join("\n"), keyboard };
}

function roleScreen(ctx: BotContext, v: SchoolSettingsView, role: StaffRole): Screen {
  const has = new Set(v.roles.find((r) => r.role === role)?.permissions ?? []);
  const lines = [ctx.t("school-settings:roleTitle", { role: ctx.t(`school-settings:role.${role}`) }), ""];
  const keyboard: InlineKeyboardButton[][] = v.configurable.map((p, i) => [
    btn(`${has.has(p) ? "✓" : "✗"} ${ctx.t(`school-settings:perm.${p}`)}`, `p_${role}`, String(i)),
  ]);
  lines.push(ctx.t("school-settings:roleHint"));
  keyboard.push([btn(ctx.t("school-settings:b.back"), "menu", "roles")]);
  return { text: lines.join("\n"), keyboard };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const isRole = (v: SchoolSettingsView, w: string): w is StaffRole => v.roles.some((r) => r.role === w);

/** The patch a button asks for, from the settings as they are now; null for data no button of ours carries. */
function patchFor(v: SchoolSettingsView, action: string, value: string): Record<string, unknown> | null {
  const s = v.settings;
  const step = value === "up" ? 1 : value === "dn" ? -1 : 0;
  if (action === "grace" && step) return { graceMinutes: s.graceMinutes + 5 * step };
  if (action === "window" && step) return { correctionWindowDays: s.correctionWindowDays + step };
  if (action === "deadline" && step) return { termGradeDeadlineDays: s.termGradeDeadlineDays + step };
  const thr = /^thr([345])$/.exec(action);
  if (thr && step) {
    return {
      thresholds: s.thresholds.map((t) => (t.mark === thr[1] ? { ...t, min: round1(t.min + 0.1 * step) } : t)),
    };
  }
  if (action === "grade" && /^([1-9]|1[01])$/.test(value)) {
    const g = Number(value);
    const set = new Set(s.gradesWithoutMarks);
    if (set.has(g)) set.delete(g);
    else set.add(g);
    return { gradesWithoutMarks: [...set].sort((a, b) => a - b) };
  }
  if (action === "quiet" && value === "next") {
    const i = QUIET_CHOICES.findIndex((q) => q.from === s.quietHoursDefault.from && q.to === s.quietHoursDefault.to);
    return { quietHoursDefault: QUIET_CHOICES[(i + 1) % QUIET_CHOICES.length] };
  }
  const wt = /^([a-z0-9_]+)\.(up|dn)$/.exec(value);
  if (action === "wt" && wt && s.workTypes.some((w) => w.code === wt[1])) {
    const d = wt[2] === "up" ? 0.5 : -0.5;
    return { workTypes: s.workTypes.map((w) => (w.code === wt[1] ? { ...w, weight: round1(w.weight + d) } : w)) };
  }
  const perm = /^p_([A-Z_]+)$/.exec(action);
  if (perm && isRole(v, perm[1]) && /^\d{1,2}$/.test(value)) {
    const p = v.configurable[Number(value)];
    if (!p) return null;
    const role = perm[1];
    const current = new Set<Permission>(
      (v.roles.find((r) => r.role === role)?.permissions ?? []).filter((x) => v.configurable.includes(x)),
    );
    if (current.has(p)) current.delete(p);
    else current.add(p);
    return {
      rolePermissions: {
        ...s.rolePermissions,
        [role]: v.configurable.filter((x) => current.has(x)),
      },
    };
  }
  return null;
}

function screenFor(ctx: BotContext, v: SchoolSettingsView, where: string, note?: string): Screen | null {
  if (where === "main") return mainScreen(ctx, v, note);
  if (where === "wt") return workTypesScreen(ctx, v);
  if (where === "roles") return rolesScreen(ctx, v);
  const role = /^r_([A-Z_]+)$/.exec(where);
  if (role && isRole(v, role[1])) return roleScreen(ctx, v, role[1]);
  return null;
}

/** Which screen a change is shown on. */
function screenAfter(action: string): string {
  if (action === "wt") return "wt";
  const perm = /^p_([A-Z_]+)$/.exec(action);
  return perm ? `r_${perm[1]}` : "main";
}

const settingsGuarded = (handler: (ctx: LinkedContext) => Promise<void>) =>
  refusingWith("school-settings:refused", handler);

export const schoolSettingsFeature = new Composer<BotContext>();

schoolSettingsFeature.chatType("private").command(
  "school_settings",
  settingsGuarded(async (ctx) => {
    await show(ctx, mainScreen(ctx, await schoolSettings(ctx.services.prisma, ctx.actor)));
  }),
);

schoolSettingsFeature.callbackQuery(
  schoolSettingCallback.pattern,
  settingsGuarded(async (ctx) => {
    const data = schoolSettingCallback.parse(ctx.callbackQuery?.data);
    const db = ctx.services.prisma;
    const view = await schoolSettings(db, ctx.actor);
    if (!data) return answer(ctx, ctx.t("school-settings:refused"), true);
    if (data.action === "menu") {
      const screen = screenFor(ctx, view, data.value);
      if (!screen) return answer(ctx, ctx.t("school-settings:refused"), true);
      await show(ctx, screen);
      return;
    }
    const patch = patchFor(view, data.action, data.value);
    if (!patch) return answer(ctx, ctx.t("school-settings:refused"), true);
    try {
      const next = await updateSchoolSettings(db, ctx.actor, patch as SchoolSettingsPatch, { source: "bot" });
      await show(ctx, screenFor(ctx, next, screenAfter(data.action)) ?? mainScreen(ctx, next));
    } catch (err) {
      if (!isAppError(err, "VALIDATION")) throw err;
      await answer(ctx, ctx.t("school-settings:invalid"), true);
    }
  }),
);
