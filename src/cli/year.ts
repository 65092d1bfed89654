// `year create --school <id> --name 2026/2027 --starts 2026-09-01 --ends 2027-05-31` and
// `year close --school <id> --from 2025/2026 --to 2026/2027 --order "112-у от 29.05.2026"
//   [--held-back <external id>,…] [--last-grade 11] [--dry-run]` (R-32): the plan is printed class by class;
// without --dry-run it is applied in one transaction.
import { systemActor } from "../core/actor.ts";
import { isAppError } from "../core/errors.ts";
import { parseOrderText } from "../core/school-year/order.ts";
import {
  applyYearClose,
  createAcademicYear,
  planYearClose,
  studentIdsByExternalId,
  type YearClosePlan,
} from "../core/school-year/year-close.ts";
import { translator } from "../i18n.ts";
import type { CliContext } from "./import.ts";

function flags(args: string[]): Map<string, string> | null {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) return null;
    if (a === "--dry-run") out.set("dry-run", "1");
    else {
      const v = args[++i];
      if (v === undefined) return null;
      out.set(a.slice(2), v);
    }
  }
  return out;
}

export function planLines(plan: YearClosePlan, t: (k: string, p?: Record<string, unknown>) => string): string[] {
  const lines = [
    t("school-year:cli.planTitle", {
      from: plan.fromYear.name,
      to: plan.toYear.name,
      orderNo: plan.order.number,
      orderDate: `${plan.order.date.slice(8, 10)}.${plan.order.date.slice(5, 7)}.${plan.order.date.slice(0, 4)}`,
    }),
  ];
  for (const g of plan.byClass) {
    lines.push(t(`school-year:cli.group.${g.kind}`, { from: g.fromClass, to: g.toClass ?? "", count: g.count }));
  }
  for (const m of plan.moves.filter((x) => x.kind === "HELD_BACK")) {
    lines.push(t("school-year:cli.heldBack", { name: m.name, className: m.toClass }));
  }
  if (plan.createClasses.length)
    lines.push(t("school-year:cli.createClasses", { list: plan.createClasses.join(", ") }));
  if (plan.alreadyPlaced) lines.push(t("school-year:cli.alreadyPlaced", { count: plan.alreadyPlaced }));
  return lines;
}

export async function yearCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = translator(ctx.lng) as unknown as (k: string, p?: Record<string, unknown>) => string;
  const [sub, ...rest] = args;
  const f = flags(rest);
  const schoolId = Number(f?.get("school"));
  if (!f || !Number.isSafeInteger(schoolId) || schoolId <= 0 || (sub !== "close" && sub !== "create")) {
    ctx.out(t("school-year:cli.usage"));
    return 2;
  }
  const actor = systemActor(schoolId);
  try {
    if (sub === "create") {
      const res = await createAcademicYear(ctx.prisma, actor, {
        name: f.get("name") ?? "",
        startsOn: f.get("starts") ?? "",
        endsOn: f.get("ends") ?? "",
      });
      ctx.out(t("school-year:cli.created", { name: f.get("name"), yearId: res.yearId }));
      return 0;
    }
    const order = parseOrderText(f.get("order") ?? "");
    if (!order) {
      ctx.out(t("school-year:cli.badOrder"));
      return 2;
    }
    const held = (f.get("held-back") ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const input = {
      fromYear: f.get("from") ?? "",
      toYear: f.get("to") ?? "",
      heldBack: held.length ? await studentIdsByExternalId(ctx.prisma, actor, held) : [],
      ...(f.has("last-grade") ? { lastGrade: Number(f.get("last-grade")) } : {}),
      order,
    };
    const dry = f.has("dry-run");
    const plan = dry ? await planYearClose(ctx.prisma, actor, input) : await applyYearClose(ctx.prisma, actor, input);
    for (const line of planLines(plan, t)) ctx.out(line);
    ctx.out(t(dry ? "school-year:cli.dryRun" : "school-year:cli.applied", { count: plan.moves.length }));
    return 0;
  } catch (err) {
    if (!isAppError(err)) throw err;
    ctx.out(t(`errors:${err.code}`));
    ctx.out(JSON.stringify(err.details));
    return 1;
  }
}
