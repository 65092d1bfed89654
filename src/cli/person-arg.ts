// A person named on the command line (see findPeopleByRef): exactly one match, or one clear line saying that
// nobody or several people have that id, and how to say which.
import { findPeopleByRef, type PersonRefCandidate } from "../core/accounts/index.ts";
import type { Db } from "../core/tx.ts";
import { type Language, translator } from "../i18n.ts";

export interface PersonArgOptions {
  ref: string;
  schoolId?: number;
  lng: Language;
  out: (s: string) => void;
}

export async function resolvePersonArg(db: Db, opts: PersonArgOptions): Promise<PersonRefCandidate | undefined> {
  const t = translator(opts.lng);
  const ref = opts.ref.trim();
  const found = await findPeopleByRef(db, "system", { ref, schoolId: opts.schoolId });
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    opts.out(
      opts.schoolId !== undefined
        ? t("cli-people:noneInSchool", { ref, schoolId: opts.schoolId })
        : t("cli-people:none", { ref }),
    );
    return undefined;
  }
  opts.out(t("cli-people:ambiguous", { ref, count: found.length }));
  for (const c of found) {
    opts.out(
      `  ${t(c.matchedBy === "id" ? "cli-people:byId" : "cli-people:byExternalId", {
        personId: c.personId,
        externalId: c.externalId,
        fullName: c.fullName,
        schoolId: c.schoolId,
      })}`,
    );
  }
  return undefined;
}
