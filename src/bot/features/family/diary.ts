// The diary screens for a guardian (per child) and a student (their own, read-only, R-06): the menu buttons,
// /today, and the inline buttons. Callback data carries the studentId; the core re-checks it on every press
// (another family's child → FORBIDDEN, nothing shown) and writes the view log.
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { IsoDate } from "../../../core/dates.ts";
import { localMoment } from "../../../core/dates.ts";
import { type MyChild, studentHeading } from "../../../core/family/index.ts";
import { getSchool } from "../../../core/settings.ts";
import { type BotContext, type InnerContext, isLinked, type LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, type Screen, show } from "../../ui/index.ts";
import { backToStudentRow } from "../student-directory/callbacks.ts";
import {
  type DiaryView,
  dayCallback,
  filesCallback,
  homeworkCallback,
  marksCallback,
  subjectCallback,
  switchCallback,
  timetableCallback,
} from "./callbacks.ts";
import { childHeader, chosenChild, listChildren, rememberChild, switcherRow } from "./children.ts";
import { replyNoDiary } from "./consent.ts";
import { buildDayScreen } from "./day-view.ts";
import { buildHomeworkScreen, sendHomeworkFiles } from "./homework-view.ts";
import { buildMarksScreen, buildSubjectScreen } from "./marks-view.ts";
import { buildTimetableScreen } from "./timetable-view.ts";

type Ctx = LinkedContext<InnerContext>;

export async function schoolToday(ctx: Ctx): Promise<IsoDate> {
  const school = await getSchool(ctx.services.prisma, ctx.actor.schoolId);
  return localMoment(school.timezone).date;
}

type Request =
  | { view: "day"; date?: IsoDate }
  | { view: "marks" }
  | { view: "subject"; subjectId: number }
  | { view: "homework" }
  | { view: "timetable"; weekOf?: IsoDate };

async function build(ctx: Ctx, studentId: number, req: Request, today: IsoDate): Promise<Screen> {
  switch (req.view) {
    case "day":
      return buildDayScreen(ctx, studentId, req.date ?? today, today);
    case "marks":
      return buildMarksScreen(ctx, studentId);
    case "subject":
      return buildSubjectScreen(ctx, studentId, req.subjectId);
    case "homework":
      return buildHomeworkScreen(ctx, studentId, today);
    case "timetable":
      return buildTimetableScreen(ctx, studentId, req.weekOf ?? today, today);
  }
}

function compose(ctx: Ctx, screen: Screen, children: MyChild[], studentId: number, req: Request): Screen {
  const header = childHeader(
    ctx.t,
    children.find((c) => c.studentId === studentId),
  );
  const switchView: DiaryView = req.view === "subject" ? "marks" : req.view;
  const switcher = switcherRow(children, studentId, switchView);
  const keyboard: InlineKeyboardButton[][] = [...(switcher.length ? [switcher] : []), ...(screen.keyboard ?? [])];
  return { text: header ? `${header}\n${screen.text}` : screen.text, keyboard };
}

/** A student of the school opened by staff from "Students": their name on top, the way back to their page below. */
async function composeForStaff(ctx: Ctx, screen: Screen, studentId: number): Promise<Screen> {
  const s = await studentHeading(ctx.services.prisma, ctx.actor, { studentId }, { record: false });
  const header = s.className
    ? ctx.t("family:child.header", { name: s.name, className: s.className })
    : ctx.t("family:child.headerNoClass", { name: s.name });
  return {
    text: `${header}\n${screen.text}`,
    keyboard: [...(screen.keyboard ?? []), backToStudentRow(ctx, studentId)],
  };
}

/**
 * Opens a diary screen. Without a studentId (menu button, /today): the remembered or first child. With one
 * (inline button): exactly that child, as the core allows.
 */
export async function openDiary(ctx: Ctx, req: Request, studentId?: number): Promise<void> {
  const children = await listChildren(ctx);
  let id = studentId;
  if (id === undefined) {
    const child = await chosenChild(ctx, children);
    if (!child) {
      await replyNoDiary(ctx);
      return;
    }
    id = child.studentId;
  }
  const today = await schoolToday(ctx);
  const screen = await build(ctx, id, req, today);
  if (studentId !== undefined) await rememberChild(ctx, children, studentId);
  const ownChild = children.some((c) => c.studentId === id);
  await show(ctx, ownChild ? compose(ctx, screen, children, id, req) : await composeForStaff(ctx, screen, id));
  await answer(ctx);
}

export const diaryFeature = new Composer<BotContext>();
const linked = diaryFeature.chatType("private").filter(isLinked);

linked.hears(menuLabels("today"), (ctx) => openDiary(ctx, { view: "day" }));
linked.hears(menuLabels("marks"), (ctx) => openDiary(ctx, { view: "marks" }));
linked.hears(menuLabels("homework"), (ctx) => openDiary(ctx, { view: "homework" }));
linked.hears(menuLabels("timetable"), (ctx) => openDiary(ctx, { view: "timetable" }));
// Teachers take /today first (their feature passes it on for everyone else).
linked.command("today", (ctx) => openDiary(ctx, { view: "day" }));

const callbacks = diaryFeature.filter(isLinked);

callbacks.callbackQuery(dayCallback.pattern, async (ctx) => {
  const d = dayCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  await openDiary(ctx, { view: "day", date: d.date }, d.studentId);
});

callbacks.callbackQuery(marksCallback.pattern, async (ctx) => {
  const d = marksCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  await openDiary(ctx, { view: "marks" }, d.studentId);
});

callbacks.callbackQuery(subjectCallback.pattern, async (ctx) => {
  const d = subjectCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  await openDiary(ctx, { view: "subject", subjectId: d.subjectId }, d.studentId);
});

callbacks.callbackQuery(homeworkCallback.pattern, async (ctx) => {
  const d = homeworkCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  await openDiary(ctx, { view: "homework" }, d.studentId);
});

callbacks.callbackQuery(timetableCallback.pattern, async (ctx) => {
  const d = timetableCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  await openDiary(ctx, { view: "timetable", weekOf: d.weekOf }, d.studentId);
});

callbacks.callbackQuery(switchCallback.pattern, async (ctx) => {
  const d = switchCallback.parse(ctx.callbackQuery.data);
  const view = d?.view as DiaryView | undefined;
  if (!d || !view || !["day", "marks", "homework", "timetable"].includes(view)) {
    return answer(ctx, ctx.t("bot:unhandled.callback"));
  }
  await openDiary(ctx, { view } as Request, d.studentId);
});

callbacks.callbackQuery(filesCallback.pattern, async (ctx) => {
  const d = filesCallback.parse(ctx.callbackQuery.data);
  if (!d) return answer(ctx, ctx.t("bot:unhandled.callback"));
  await sendHomeworkFiles(ctx, d.studentId, d.from, d.to);
});
