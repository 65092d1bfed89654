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
