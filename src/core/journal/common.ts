// Small shared pieces of the journal services: input parsing into AppError VALIDATION, ids and dates as zod
// schemas, the school's "now", and how a person's name is shown in a journal list.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { isIsoDate, type LocalMoment, localMoment } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import { getSchool, type SchoolInfo } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";

export const idSchema = z.number().int().positive().max(2_147_483_647);
export const isoDateSchema = z.string().refine(isIsoDate, { message: "not an ISO date" });
export const absenceReasonSchema = z.enum(["ILLNESS", "EXCUSED", "UNEXCUSED"]);

/** Parses a service input; anything off → VALIDATION with the issues (paths and codes, no values). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const res = schema.safeParse(input ?? {});
  if (!res.success) {
    throw invalid({
      issues: res.error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message })),
    });
  }
  return res.data;
}

/** Options a caller (mostly a test) may pass to pin the clock. */
export interface ClockOptions {
  now?: Date;
}

export interface SchoolNow {
  school: SchoolInfo;
  now: Date;
  local: LocalMoment;
}

export async function schoolNow(db: DbOrTx, schoolId: number, opts: ClockOptions = {}): Promise<SchoolNow> {
  const school = await getSchool(db, schoolId);
  const now = opts.now ?? new Date();
  return { school, now, local: localMoment(school.timezone, now) };
}

/** A person acting for themself (not a job); system actors have no lessons, classes or children. */
export function requirePerson(actor: AnyActor): number {
  if (actor.system || !Number.isSafeInteger(actor.personId)) throw forbidden({ person: null });
  return actor.personId;
}

export function fullName(p: { lastName: string; firstName: string }): string {
  return `${p.lastName} ${p.firstName}`;
}

/** "Фамилия И. О." (or "Фамилия И." without a middle name): how colleagues are named in a short list. */
export function initialsName(p: { lastName: string; firstName: string; middleName?: string | null }): string {
  const initials = [p.firstName, p.middleName ?? ""].filter((n) => n.length > 0).map((n) => `${n[0]}.`);
  return [p.lastName, ...initials].join(" ");
}
