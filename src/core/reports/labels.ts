// Display labels of people in reports: "Lastname F. M." for staff, "Lastname Firstname" for students.

export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

export function staffLabel(p: PersonName): string {
  const initials = [p.firstName, p.middleName]
    .filter((s): s is string => !!s)
    .map((s) => `${s[0]}.`)
    .join(" ");
  return initials ? `${p.lastName} ${initials}` : p.lastName;
}

export function studentLabel(p: PersonName): string {
  return `${p.lastName} ${p.firstName}`;
}

// One collator for every sort of the reports: `localeCompare(b, "ru")` builds a new one on each call, which
// costs seconds when thousands of rows are sorted.
const collator = new Intl.Collator("ru", { numeric: true });

/** Russian alphabetical order (numbers by value: "5А" before "10А"). */
export function compareRu(a: string, b: string): number {
  return collator.compare(a, b);
}
