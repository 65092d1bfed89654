// "⚙️ Settings" for everyone linked: the language; for guardians the evening digest, the weekly summary, quiet
// hours, instant alerts and the personal-data consent; for teachers the reminder at the start of a lesson.
// Every change goes through the core (validated, audited, only the person's own row).
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { type ConsentStatus, consentStatus, describePerson } from "../../../core/accounts/index.ts";
import { localMoment } from "../../../core/dates.ts";
import {
  DIGEST_OFF,
  getPreferences,
  type PreferencesPatch,
  type PreferencesView,
  updatePreferences,
} from "../../../core/preferences/settings.ts";
import { getSchool } from "../../../core/settings.ts";
import { type Language, translator } from "../../../i18n.ts";
import { type BotContext, type InnerContext, isLinked, type LinkedContext } from "../../context.ts";
import { mainMenu, menuLabels } from "../../keyboards/main-menu.ts";
import { answer, type Screen, show, startConversation } from "../../ui/index.ts";
import { consentNoticeCallback, settingCallback, withdrawAskCallback } from "./callbacks.ts";
import { DIGEST_TIME_CONVERSATION } from "./digest-time.ts";

type Ctx = LinkedContext<InnerContext>;

/** The common digest times offered as buttons; any other quarter-hour is typed ("🕒 Another time"). */
export const DIGEST_CHOICES = ["07:00", "18:00", "19:00", "20:00", "21:00", "22:00"] as const;

interface Who {
  guardian: boolean;
  teacher: boolean;
  consent: ConsentStatus | null;
  timezone: string;
}

async function whoIs(ctx: Ctx): Promise<Who> {
  const [consent, school] = await Promise.all([
    consentStatus(ctx.services.prisma, ctx.actor),
    getSchool(ctx.services.prisma, ctx.actor.schoolId),
  ]);
  return {
    guardian: consent.guardian,
    teacher: ctx.actor.roles.includes("TEACHER"),
    consent: consent.guardian ? consent : null,
    timezone: school.timezone,
  };
}

const btn = (text: string, key: string, value: string): InlineKeyboardButton => ({
  text,
  callback_data: settingCallback.encode({ key, value }),
});

function onOff(ctx: Ctx, v: boolean): string {
  return ctx.t(v ? "family:settings.on" : "family:settings.off");
}

function weekdayName(ctx: Ctx, day: number): string {
  return ctx.t(`family:settings.weekdays.${day}`);
}

function consentLine(ctx: Ctx, who: Who): string | null {
  if (!who.consent) return null;
  if (who.consent.state === "given") {
    const given = who.consent.children
      .map((c) => c.consentGivenAt)
      .filter((x): x is string => x !== null)
      .sort()
      .at(-1);
    const at = given ? localMoment(who.timezone, new Date(given)) : null;
    return ctx.t("family:settings.consentGiven", { date: at ? `${at.date.split("-").reverse().join(".")}` : "" });
  }
  return ctx.t(who.consent.state === "withdrawn" ? "family:settings.consentWithdrawn" : "family:settings.consentNone");
}

function mainScreen(ctx: Ctx, p: PreferencesView, who: Who): Screen {
  const lines = [
    ctx.t("family:settings.title"),
    "",
    ctx.t("family:settings.language", { value: ctx.t(`family:settings.languages.${p.locale}`) }),
  ];
  const keyboard: InlineKeyboardButton[][] = [
    [
      btn(ctx.t("family:settings.languages.ru"), "lang", "ru"),
      btn(ctx.t("family:settings.languages.en"), "lang", "en"),
    ],
  ];
  if (who.guardian) {
    const digest = p.digestTime === DIGEST_OFF ? ctx.t("family:settings.never") : p.digestTime;
    const weekly = p.weeklyDay === null ? ctx.t("family:settings.never") : weekdayName(ctx, p.weeklyDay);
    lines.push(
      ctx.t("family:settings.digest", { value: digest }),
      ctx.t("family:settings.digestWhenEmpty", { value: onOff(ctx, p.digestWhenEmpty) }),
      ctx.t("family:settings.weekly", { value: weekly }),
      ctx.t("family:settings.quiet", { from: "21:00", to: "07:00", value: onOff(ctx, p.quietHours) }),
      "",
      ctx.t("family:settings.alertsTitle"),
      ctx.t("family:settings.alertAbsence", { value: onOff(ctx, p.alertAbsence) }),
      ctx.t("family:settings.alertLowMark", { value: onOff(ctx, p.alertLowMark) }),
      ctx.t("family:settings.alertEveryMark", { value: onOff(ctx, p.alertEveryMark) }),
      ctx.t("term-grades:settings.alert", { value: onOff(ctx, p.alertTermGrade) }),
      ctx.t("family:settings.alertHomework", { value: onOff(ctx, p.alertHomework) }),
    );
    keyboard.push(
      [btn(ctx.t("family:settings.digestButton", { value: digest }), "menu", "digest")],
      [
        btn(
          ctx.t("family:settings.emptyButton", { value: onOff(ctx, p.digestWhenEmpty) }),
          "empty",
          p.digestWhenEmpty ? "off" : "on",
        ),
      ],
      [btn(ctx.t("family:settings.weeklyButton", { value: weekly }), "menu", "weekly")],
      [
        btn(
          ctx.t("family:settings.quietButton", { value: onOff(ctx, p.quietHours) }),
          "quiet",
          p.quietHours ? "off" : "on",
        ),
      ],
      [
        btn(
          ctx.t("family:settings.absenceButton", { value: onOff(ctx, p.alertAbsence) }),
          "absence",
          p.alertAbsence ? "off" : "on",
        ),
      ],
      [
        btn(
          ctx.t("family:settings.lowButton", { value: onOff(ctx, p.alertLowMark) }),
          "low",
          p.alertLowMark ? "off" : "on",
        ),
      ],
      [
        btn(
          ctx.t("family:settings.everyButton", { value: onOff(ctx, p.alertEveryMark) }),
          "every",
          p.alertEveryMark ? "off" : "on",
        ),
      ],
      [
        btn(
          ctx.t("term-grades:settings.button", { value: onOff(ctx, p.alertTermGrade) }),
          "term",
          p.alertTermGrade ? "off" : "on",
        ),
      ],
      [
        btn(
          ctx.t("family:settings.homeworkButton", { value: onOff(ctx, p.alertHomework) }),
          "hw",
          p.alertHomework ? "off" : "on",
        ),
      ],
    );
  }
  if (who.teacher) {
    lines.push("", ctx.t("family:settings.lessonPrompt", { value: onOff(ctx, p.lessonPrompt) }));
    keyboard.push([
      btn(
        ctx.t("family:settings.promptButton", { value: onOff(ctx, p.lessonPrompt) }),
        "prompt",
        p.lessonPrompt ? "off" : "on",
      ),
    ]);
  }
  const consent = consentLine(ctx, who);
  if (consent) {
    lines.push("", consent);
    keyboard.push(
      who.consent?.state === "given"
        ? [{ text: ctx.t("family:consent.withdrawButton"), callback_data: withdrawAskCallback.encode({}) }]
        : [{ text: ctx.t("family:consent.giveAgain"), callback_data: consentNoticeCallback.encode({}) }],
    );
  }
  return { text: lines.join("\n"), keyboard };
}

function digestScreen(ctx: Ctx, p: PreferencesView): Screen {
  const mark = (v: string) => (p.digestTime === v ? "✓ " : "");
  const times = DIGEST_CHOICES.map((time) => btn(`${mark(time)}${time}`, "digest", time.replace(":", "")));
  const own = p.digestTime !== DIGEST_OFF && !(DIGEST_CHOICES as readonly string[]).includes(p.digestTime);
  return {
    text: ctx.t("family:settings.digestChoose"),
    keyboard: [
      times.slice(0, 3),
      times.slice(3),
      [
        ...(own ? [btn(`✓ ${p.digestTime}`, "digest", p.digestTime.replace(":", ""))] : []),
        btn(ctx.t("family:settings.digestOther"), "menu", "digesttime"),
      ],
      [btn(`${mark(DIGEST_OFF)}${ctx.t("family:settings.never")}`, "digest", "off")],
      [btn(ctx.t("family:settings.back"), "menu", "main")],
    ],
  };
}

function weeklyScreen(ctx: Ctx, p: PreferencesView): Screen {
  const mark = (v: number | null) => (p.weeklyDay === v ? "✓ " : "");
  const days = [1, 2, 3, 4, 5, 6, 7].map((d) =>
    btn(`${mark(d)}${ctx.t(`family:settings.weekdaysShort.${d}`)}`, "weekly", String(d)),
  );
  return {
    text: ctx.t("family:settings.weeklyChoose"),
    keyboard: [
      days.slice(0, 4),
      days.slice(4),
      [btn(`${mark(null)}${ctx.t("family:settings.never")}`, "weekly", "off")],
      [btn(ctx.t("family:settings.back"), "menu", "main")],
    ],
  };
}

/** The patch a button asks for; null for data no button of ours carries. The core validates the values. */
export function patchOf(key: string, value: string): PreferencesPatch | null {
  const flag = value === "on" ? true : value === "off" ? false : null;
  switch (key) {
    case "lang":
      return { locale: value as PreferencesPatch["locale"] };
    case "digest":
      return {
        digestTime:
          value === "off" ? DIGEST_OFF : /^\d{4}$/.test(value) ? `${value.slice(0, 2)}:${value.slice(2)}` : value,
      };
    case "weekly":
      return { weeklyDay: value === "off" ? null : Number(value) };
    case "empty":
      return flag === null ? null : { digestWhenEmpty: flag };
    case "quiet":
      return flag === null ? null : { quietHours: flag };
    case "absence":
      return flag === null ? null : { alertAbsence: flag };
    case "low":
      return flag === null ? null : { alertLowMark: flag };
    case "every":
      return flag === null ? null : { alertEveryMark: flag };
    case "prompt":
      return flag === null ? null : { lessonPrompt: flag };
    case "term":
      return flag === null ? null : { alertTermGrade: flag };
    case "hw":
      return flag === null ? null : { alertHomework: flag };
    default:
      return null;
  }
}

async function openSettings(ctx: Ctx, mode: "reply" | "edit"): Promise<void> {
  const [p, who] = await Promise.all([getPreferences(ctx.services.prisma, ctx.actor), whoIs(ctx)]);
  await show(ctx, mainScreen(ctx, p, who), { newMessage: mode === "reply" });
}

export const settingsFeature = new Composer<BotContext>();
const linked = settingsFeature.chatType("private").filter(isLinked);

linked.hears(menuLabels("settings"), (ctx) => openSettings(ctx, "reply"));
linked.command("settings", (ctx) => openSettings(ctx, "reply"));

linked.callbackQuery(settingCallback.pattern, async (ctx) => {
  const d = settingCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  const db = ctx.services.prisma;
  if (d.key === "menu" && d.value === "digesttime") {
    await startConversation(ctx, DIGEST_TIME_CONVERSATION);
    return;
  }
  if (d.key === "menu") {
    const p = await getPreferences(db, ctx.actor);
    if (d.value === "digest") await show(ctx, digestScreen(ctx, p));
    else if (d.value === "weekly") await show(ctx, weeklyScreen(ctx, p));
    else await show(ctx, mainScreen(ctx, p, await whoIs(ctx)));
    return answer(ctx);
  }
  const patch = patchOf(d.key, d.value);
  if (!patch) return answer(ctx, ctx.t("bot:unhandled.callback"));
  const p = await updatePreferences(db, ctx.actor, patch);
  if (patch.locale) {
    ctx.lng = p.locale as Language;
    ctx.t = translator(ctx.lng);
  }
  await answer(ctx, ctx.t("family:settings.saved"));
  await show(ctx, mainScreen(ctx, p, await whoIs(ctx)));
  if (patch.locale) {
    const person = await describePerson(db, ctx.actor.personId);
    const keyboard = mainMenu(ctx, person);
    await ctx.reply(ctx.t("family:settings.languageChanged"), { reply_markup: keyboard });
  }
});
