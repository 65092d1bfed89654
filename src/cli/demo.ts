// `demo` seeds the demo schools when the database is empty; `demo --reset` empties the database and seeds again.
import { resetDemo } from "../core/demo/reset.ts";
import { seedDemoIfEmpty } from "../core/demo/seed.ts";
import { translator } from "../i18n.ts";
import type { CliContext } from "./import.ts";

export { seedDemoIfEmpty };

export async function demoCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = translator(ctx.lng);
  const unknown = args.filter((a) => a !== "--reset");
  if (unknown.length) {
    ctx.out(t("import:demo.usage"));
    return 2;
  }
  if (args.includes("--reset")) {
    const { schoolIds } = await resetDemo(ctx.prisma);
    ctx.out(t("import:demo.reset", { schools: schoolIds.join(", ") }));
    return 0;
  }
  const res = await seedDemoIfEmpty(ctx.prisma);
  ctx.out(res.seeded ? t("import:demo.seeded", { schools: res.schoolIds.join(", ") }) : t("import:demo.exists"));
  return 0;
}
