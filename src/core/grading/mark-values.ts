// Mark values of the school scale (RULES.md "Grading conventions"): numeric "2".."5", «н/а» (not attested: a
// fail that counts in denominators), «осв» (exempt: excluded from figures), «зач»/«незач» (pass/fail).
// The stored values and the input aliases are Cyrillic by nature; they live in this file only.

export const NOT_ATTESTED = "н/а";
export const EXEMPT = "осв";
export const PASS = "зач";
export const FAIL = "незач";

export const NUMERIC_MARKS = ["2", "3", "4", "5"] as const;
export type NumericMark = (typeof NUMERIC_MARKS)[number];

export type MarkKind = "numeric" | "notAttested" | "exempt" | "pass" | "fail";

const SPECIAL_KINDS: Readonly<Record<string, MarkKind>> = {
  [NOT_ATTESTED]: "notAttested",
  [EXEMPT]: "exempt",
  [PASS]: "pass",
  [FAIL]: "fail",
};

/**
 * What a person may type for each stored value (after trim, lower case, «ё»→«е», inner spaces removed).
 * Decision: no pluses or minuses ("5+", "4-"): the scale has none, so such input is refused, not rounded.
 */
export const MARK_INPUT_ALIASES: Readonly<Record<string, string>> = {
  "2": "2",
  "3": "3",
  "4": "4",
  "5": "5",
  "н/а": NOT_ATTESTED,
  "н\\а": NOT_ATTESTED,
  "н.а.": NOT_ATTESTED,
  на: NOT_ATTESTED,
  "n/a": NOT_ATTESTED,
  na: NOT_ATTESTED,
  осв: EXEMPT,
  "осв.": EXEMPT,
  освоб: EXEMPT,
  освобожден: EXEMPT,
  зач: PASS,
  "зач.": PASS,
  зачет: PASS,
  незач: FAIL,
  "незач.": FAIL,
  незачет: FAIL,
};

/** The kind of a stored value, or null when the value is not on the scale. */
export function classifyMark(value: string): MarkKind | null {
  if ((NUMERIC_MARKS as readonly string[]).includes(value)) return "numeric";
  return SPECIAL_KINDS[value] ?? null;
}

export function isNumericMark(value: string): value is NumericMark {
  return classifyMark(value) === "numeric";
}

/** 2..5 for a numeric mark; null for «н/а», «осв», «зач», «незач» and anything else. */
export function markNumber(value: string): number | null {
  return isNumericMark(value) ? Number(value) : null;
}

/**
 * The stored value for what a person typed, or null when it is not a mark. `scale` limits the numeric
 * marks (the school's `settings.scale`); the special values are always recognised, callers decide where
 * each is allowed (e.g. «осв» only for term marks).
 */
export function normaliseMarkInput(text: string, scale: readonly string[] = NUMERIC_MARKS): string | null {
  const key = text.trim().toLowerCase().replaceAll("ё", "е").replace(/\s+/g, "");
  const value = MARK_INPUT_ALIASES[key];
  if (value === undefined) return null;
  if (isNumericMark(value) && !scale.includes(value)) return null;
  return value;
}
