// Marks typed in one message, for the whole roster. Pure: the caller gives the roster and how a token becomes a
// stored value (the school's scale); the result lists every problem, and nothing is saved while there is one.
//
// Two forms, told apart by the text itself:
// - journal order: one token per student, `5 4 - 5 н/а 3 …`; «-» (or «–», «—») means no mark for that student;
//   the count must equal the roster's;
// - by name: `Иванов 5, Петрова 4` (commas optional): a surname or its beginning, optionally a first-name
//   initial to tell namesakes apart («Иванов А. 5»); an exact surname wins over longer ones that start with it.
// Decision: «н» is what a Russian journal writes for an absence, and an absence is not a mark. It is refused with
// a hint (use «-» for no mark, «н/а» for not attested, and attendance for the absence) rather than guessed.

import { normaliseMarkInput } from "../../../core/grading/mark-values.ts";

export interface RosterEntry {
  studentId: number;
  /** 1-based position in the journal. */
  no: number;
  /** «Фамилия Имя». */
  name: string;
}

export interface ParsedEntry extends RosterEntry {
  value: string;
}

export type EntryProblem =
  | { kind: "empty" }
  | { kind: "count"; got: number; expected: number }
  | { kind: "absent"; no: number | null; name: string | null }
  | { kind: "value"; no: number | null; name: string | null; value: string }
  | { kind: "unknown"; query: string }
  | { kind: "ambiguous"; query: string; names: string[]; example: string }
  | { kind: "duplicate"; name: string }
  | { kind: "noValue"; query: string }
  | { kind: "orphan"; value: string }
  | { kind: "nothing" };

export interface ParsedMarks {
  mode: "order" | "names";
  entries: ParsedEntry[];
  /** Students given «-» (journal order) or «-» by name. */
  skipped: number;
  problems: EntryProblem[];
}

/** Turns a typed token into a stored value of the scale, or null. */
export type ToValue = (token: string) => string | null;

// Input-parsing aliases (Cyrillic by nature): dashes mean "no mark", «н» is an absence.
const SKIP = new Set(["-", "–", "—"]);
const ABSENT = new Set(["н", "n"]);

const norm = (s: string) => s.trim().toLowerCase().replaceAll("ё", "е");
const hasLetter = (s: string) => /\p{L}/u.test(s);

function tokenKind(token: string, toValue: ToValue): "skip" | "absent" | "value" | "word" {
  const t = norm(token);
  if (SKIP.has(t)) return "skip";
  if (ABSENT.has(t)) return "absent";
  // A mark alias the lesson refuses (e.g. «осв») still reads as a value, so the error names the value.
  if (toValue(token) !== null || normaliseMarkInput(token) !== null || !hasLetter(t)) return "value";
  return "word";
}

function splitName(name: string): { last: string; first: string } {
  const [last, ...rest] = name.split(" ");
  return { last: norm(last), first: norm(rest.join(" ")) };
}

function shortOf(name: string): string {
  const [last, first] = name.split(" ");
  return first ? `${last} ${first.slice(0, 1)}.` : last;
}

/** Students matching a name query: surname prefix, exact surname preferred, then first-name initials. */
export function matchStudents(query: string[], roster: RosterEntry[]): RosterEntry[] {
  const [surname, ...initials] = query.map((q) => norm(q).replace(/\.+$/, "")).filter(Boolean);
  if (!surname) return [];
  let found = roster.filter((r) => splitName(r.name).last.startsWith(surname));
  const exact = found.filter((r) => splitName(r.name).last === surname);
  if (exact.length > 0) found = exact;
  const initial = initials.join("").replaceAll(".", "");
  if (initial) found = found.filter((r) => splitName(r.name).first.startsWith(initial));
  return found;
}

function parseInOrder(tokens: string[], roster: RosterEntry[], toValue: ToValue): ParsedMarks {
  const problems: EntryProblem[] = [];
  const entries: ParsedEntry[] = [];
  let skipped = 0;
  if (tokens.length !== roster.length) problems.push({ kind: "count", got: tokens.length, expected: roster.length });
  tokens.forEach((token, i) => {
    const student = roster[i] ?? null;
    const where = { no: student?.no ?? i + 1, name: student?.name ?? null };
    const kind = tokenKind(token, toValue);
    if (kind === "skip") {
      skipped++;
      return;
    }
    if (kind === "absent") {
      problems.push({ kind: "absent", ...where });
      return;
    }
    const value = toValue(token);
    if (value === null) {
      problems.push({ kind: "value", ...where, value: token });
      return;
    }
    if (student) entries.push({ ...student, value });
  });
  if (problems.length === 0 && entries.length === 0) problems.push({ kind: "nothing" });
  return { mode: "order", entries, skipped, problems };
}

function parseByName(tokens: string[], roster: RosterEntry[], toValue: ToValue): ParsedMarks {
  const problems: EntryProblem[] = [];
  const entries: ParsedEntry[] = [];
  const seen = new Set<number>();
  let skipped = 0;
  let name: string[] = [];
  for (const token of tokens) {
    const kind = tokenKind(token, toValue);
    if (kind === "word") {
      name.push(token);
      continue;
    }
    if (name.length === 0) {
      problems.push({ kind: "orphan", value: token });
      continue;
    }
    const query = name.join(" ");
    name = [];
    const found = matchStudents(query.split(" "), roster);
    if (found.length === 0) {
      problems.push({ kind: "unknown", query });
      continue;
    }
    if (found.length > 1) {
      const names = found.slice(0, 5).map((r) => r.name);
      problems.push({ kind: "ambiguous", query, names, example: shortOf(found[0].name) });
      continue;
    }
    const student = found[0];
    if (seen.has(student.studentId)) {
      problems.push({ kind: "duplicate", name: student.name });
      continue;
    }
    seen.add(student.studentId);
    if (kind === "skip") {
      skipped++;
      continue;
    }
    if (kind === "absent") {
      problems.push({ kind: "absent", no: null, name: student.name });
      continue;
    }
    const value = toValue(token);
    if (value === null) {
      problems.push({ kind: "value", no: null, name: student.name, value: token });
      continue;
    }
    entries.push({ ...student, value });
  }
  if (name.length > 0) problems.push({ kind: "noValue", query: name.join(" ") });
  if (problems.length === 0 && entries.length === 0) problems.push({ kind: "nothing" });
  entries.sort((a, b) => a.no - b.no);
  return { mode: "names", entries, skipped, problems };
}

export function parseMarksText(text: string, roster: RosterEntry[], toValue: ToValue): ParsedMarks {
  const tokens = text.split(/[\s,;]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return { mode: "order", entries: [], skipped: 0, problems: [{ kind: "empty" }] };
  const byName = tokens.some((t) => tokenKind(t, toValue) === "word");
  return byName ? parseByName(tokens, roster, toValue) : parseInOrder(tokens, roster, toValue);
}
