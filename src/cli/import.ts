// `import <file-or-dir> [--school <id>] [--date YYYY-MM-DD]` and `import --template <out.xlsx>`.
// Prints the counts, or every error by sheet, row and column in the chosen language (exit code 1).
import path from "node:path";
import { isIsoDate } from "../core/dates.ts";
import { isAppError } from "../core/errors.ts";
import { importSchool } from "../core/import/import-school.ts";
import { readSchoolSource } from "../core/import/read-source.ts";
import { type ImportError, SHEET_NAMES } from "../core/import/sheets.ts";
import { writeTemplate } from "../core/import/write-template.ts";
import type { Db } from "../core/tx.ts";
import { translator } from "../i18n.ts";
import { formatDay } from "./dates.ts";

export interface CliContext {
  prisma: Db;
  lng: "ru" | "en";
  out: (s: string) => void;
}

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** One line per error: "Sheet “students”, row 5, column “class”: class “9X” is not on sheet classes". */
export function formatImportErrors(errors: ImportError[], t: Translate): string[] {
  return errors.map((e) => {
    const where =
      e.row === 0
        ? t("import:locationSheet", { sheet: e.sheet })
        : e.column
          ? t("import:location", { sheet: e.sheet, row: e.row, column: e.column })
          : t("import:locationRow", { sheet: e.sheet, row: e.row });
    return `${where}: ${t(`import:codes.${e.code}`, e.params)}`;
  });
}

interface ImportArgs {
  source?: string;
  template?: string;
  school?: string;
  date?: string;
}

function parseArgs(args: string[]): ImportArgs | null {
  const out: ImportArgs = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--template" || a === "--school" || a === "--date") {
      const v = args[++i];
      if (v === undefined) return null;
      out[a.slice(2) as "template" | "school" | "date"] = v;
    } else if (a.startsWith("--")) return null;
    else if (out.source === undefined) out.source = a;
    else return null;
  }
  return out;
}

export async function importCommand(args: string[], ctx: CliContext): Promise<number> {
  const t = translator(ctx.lng) as unknown as Translate;
  const parsed = parseArgs(args);
  if (!parsed || (!parsed.source && !parsed.template)) {
    ctx.out(t("import:usage"));
    return 2;
  }
  if (parsed.template) {
    const file = path.resolve(parsed.template);
    await writeTemplate(file);
    ctx.out(t("import:templateWritten", { path: file }));
    return 0;
  }
  if (parsed.date !== undefined && !isIsoDate(parsed.date)) {
    ctx.out(t("import:badDate", { value: parsed.date }));
    return 1;
  }
  let schoolId: number | undefined;
  if (parsed.school !== undefined) {
    if (!/^\d+$/.test(parsed.school)) {
      ctx.out(t("import:badSchool", { value: parsed.school }));
      return 1;
    }
    schoolId = Number(parsed.school);
  } else {
    // Without --school: the only school of the database, or a new one when there is none.
    const schools = await ctx.prisma.school.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    if (schools.length > 1) {
      ctx.out(t("import:severalSchools", { ids: schools.map((s) => s.id).join(", ") }));
      return 1;
    }
    schoolId = schools[0]?.id;
  }

  const source = path.resolve(parsed.source!);
  try {
    const wb = await readSchoolSource(source);
    const res = await importSchool(ctx.prisma, wb, { schoolId, effectiveDate: parsed.date });
    if (!res.changed) {
      ctx.out(t("import:unchanged", { schoolId: res.schoolId }));
      return 0;
    }
    ctx.out(t("import:done", { schoolId: res.schoolId, date: formatDay(ctx.lng, res.effectiveDate) }));
    for (const sheet of SHEET_NAMES) {
      ctx.out(`  ${t("import:countsLine", { sheet: t(`import:sheets.${sheet}`), ...res.counts[sheet] })}`);
    }
    if (res.lessonsRemoved) ctx.out(t("import:lessonsRemoved", { count: res.lessonsRemoved }));
    return 0;
  } catch (err) {
    if (isAppError(err, "IMPORT_INVALID")) {
      const errors = err.details.errors as ImportError[];
      ctx.out(t("import:failed", { count: errors.length }));
      for (const line of formatImportErrors(errors, t)) ctx.out(`  ${line}`);
      return 1;
    }
    if (isAppError(err, "NOT_FOUND")) {
      ctx.out(
        err.details.entity === "School"
          ? t("import:schoolNotFound", { id: err.details.id })
          : t("import:notFound", { path: source }),
      );
      return 1;
    }
    if (isAppError(err, "VALIDATION") && err.details.reason === "UNSUPPORTED_SOURCE") {
      ctx.out(t("import:unsupported", { path: source }));
      return 1;
    }
    if (isAppError(err)) {
      ctx.out(t(`errors:${err.code}`));
      return 1;
    }
    throw err;
  }
}
