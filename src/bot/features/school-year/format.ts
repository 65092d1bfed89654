// Small rendering helpers of the school-year screens.
import type { MovementLine } from "../../../core/school-year/students-read.ts";
import type { BotContext } from "../../context.ts";

/** "2026-11-12" → "12.11.2026" */
export const dotted = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export function movementLine(ctx: BotContext, m: MovementLine): string {
  return ctx.t(`school-year:movement.${m.kind}`, {
    date: dotted(m.date),
    from: m.fromClass ?? "—",
    to: m.toClass ?? "—",
    fromSubgroup: m.fromSubgroup ?? "—",
    toSubgroup: m.toSubgroup ?? "—",
    orderNo: m.orderNo,
    orderDate: dotted(m.orderDate),
  });
}
