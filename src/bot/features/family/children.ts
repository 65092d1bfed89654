// Whose diary is shown: a student's own, or one of a guardian's children (the one chosen last, remembered per
// account in BotState). The core decides who may be seen; this only picks among what the core listed.
import type { InlineKeyboardButton } from "grammy/types";
import type { TFunction } from "i18next";
import { type MyChild, myChildren } from "../../../core/family/index.ts";
import type { InnerContext, LinkedContext } from "../../context.ts";
import { switchCallback } from "./callbacks.ts";
import { loadSelectedChild, saveSelectedChild } from "./state.ts";

export async function listChildren(ctx: LinkedContext<InnerContext>): Promise<MyChild[]> {
  return myChildren(ctx.services.prisma, ctx.actor);
}

/** The remembered child when still listed, else the first one. */
export async function chosenChild(ctx: LinkedContext<InnerContext>, children: MyChild[]): Promise<MyChild | null> {
  if (children.length === 0) return null;
  const stored = await loadSelectedChild(ctx, ctx.actor.personId);
  return children.find((c) => c.studentId === stored) ?? children[0];
}

/** Remembers a guardian's choice (only ever a child the core has just shown). */
export async function rememberChild(ctx: LinkedContext<InnerContext>, children: MyChild[], studentId: number) {
  if (children.length < 2 || !children.some((c) => c.studentId === studentId)) return;
  const stored = await loadSelectedChild(ctx, ctx.actor.personId);
  if (stored !== studentId) await saveSelectedChild(ctx, ctx.actor.personId, studentId);
}

export function childHeader(t: TFunction, child: MyChild | undefined): string | null {
  if (!child || child.relation === "self") return null;
  return child.className
    ? t("family:child.header", { name: child.name, className: child.className })
    : t("family:child.headerNoClass", { name: child.name });
}

/** One button per child (names), the shown one ticked; only for a guardian of several children. */
export function switcherRow(children: MyChild[], shownId: number, view: string): InlineKeyboardButton[] {
  const guardianOf = children.filter((c) => c.relation === "guardian");
  if (guardianOf.length < 2) return [];
  return guardianOf.map((c) => ({
    text: c.studentId === shownId ? `✓ ${c.firstName}` : c.firstName,
    callback_data: switchCallback.encode({ studentId: c.studentId, view }),
  }));
}
