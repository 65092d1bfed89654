// A person named the way an administrator names them on a command line: the school's own id from the import
// (staff, student or guardian id: "T01", "S-0174"), or the internal number ("174", "#174" for that one only).

import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import type { DbOrTx } from "../tx.ts";
import { fullNameOf } from "./describe-person.ts";

export interface PersonRefCandidate {
  personId: number;
  schoolId: number;
  externalId: string | null;
  fullName: string;
  /** What matched: the internal number or the import id. */
  matchedBy: "id" | "externalId";
}

export interface FindPeopleByRefInput {
  ref: string;
  /** Only this school (the CLI's --school); a staff actor is always limited to their own school. */
  schoolId?: number;
}

/** Every person the reference could mean, internal-number matches first; empty when none. */
export async function findPeopleByRef(
  db: DbOrTx,
  actor: AnyActor | "system",
  input: FindPeopleByRefInput,
): Promise<PersonRefCandidate[]> {
  if (actor !== "system") requirePermission(actor, "journal.read.all");
  const schoolId = actor !== "system" && !actor.system ? actor.schoolId : input.schoolId;
  const ref = input.ref.trim();
  if (!ref) return [];
  const onlyInternal = /^#\d+$/.test(ref);
  const number = /^#?\d+$/.test(ref) ? Number(ref.replace("#", "")) : undefined;
  const or = [
    ...(number !== undefined && Number.isSafeInteger(number) ? [{ id: number }] : []),
    ...(onlyInternal ? [] : [{ externalId: { equals: ref, mode: "insensitive" as const } }]),
  ];
  if (or.length === 0) return [];
  const rows = await db.person.findMany({
    where: { OR: or, ...(schoolId !== undefined ? { schoolId } : {}) },
    select: { id: true, schoolId: true, externalId: true, lastName: true, firstName: true, middleName: true },
    orderBy: [{ schoolId: "asc" }, { id: "asc" }],
  });
  return rows
    .map((p) => ({
      personId: p.id,
      schoolId: p.schoolId,
      externalId: p.externalId,
      fullName: fullNameOf(p),
      matchedBy: (p.id === number ? "id" : "externalId") as PersonRefCandidate["matchedBy"],
    }))
    .sort((a, b) => (a.matchedBy === b.matchedBy ? 0 : a.matchedBy === "id" ? -1 : 1));
}
