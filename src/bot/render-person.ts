// How a person is named and described in messages: "Мария Петровна" (a student: "Андрей"), "учитель, классный
// руководитель 7Б".
import type { TFunction } from "i18next";
import type { PersonDescription } from "../core/accounts/index.ts";

/**
 * How the bot greets a person: a student by first name («Андрей»), as a teacher would; an adult by first name
 * and patronymic («Мария Петровна»), or by first name when the patronymic is not known.
 */
export function greetingName(p: PersonDescription): string {
  const onlyStudent = p.roles.length > 0 && p.roles.every((role) => role === "STUDENT");
  return p.middleName && !onlyStudent ? `${p.firstName} ${p.middleName}` : p.firstName;
}

export function describeRoles(t: TFunction, p: PersonDescription): string {
  const parts = p.roles.map((role) => {
    if (role === "CLASS_TEACHER" && p.classesLed.length > 0) {
      return t("bot:roles.classTeacherOf", { classes: p.classesLed.join(", ") });
    }
    if (role === "STUDENT" && p.studentClass) return t("bot:roles.studentOf", { class: p.studentClass });
    if (role === "GUARDIAN" && p.childrenClasses.length > 0) {
      return t("bot:roles.guardianOf", { classes: p.childrenClasses.join(", ") });
    }
    return t(`common:roles.${role}`);
  });
  return parts.join(", ");
}

/**
 * Short roster names, each the shortest form that tells it apart from the others: «Петров И.», and where two
 * would read the same the first name grows until they differ («Иванов Ал.» / «Иванов Ан.»), then the
 * patronymic's initial («Иванов Александр П.»); two identical full names stay full. Names are «Фамилия Имя
 * [Отчество]», the order of the input is kept.
 */
export function shortNames(fullNames: readonly string[]): string[] {
  const parsed = fullNames.map((n) => {
    const [last = "", first = "", ...rest] = n.trim().split(/\s+/);
    return { last, first, middle: rest.join(" ") };
  });
  return parsed.map((p, i) => {
    if (!p.first) return fullNames[i];
    const rivals = parsed.filter((q, j) => j !== i && q.last === p.last);
    for (let k = 1; k <= p.first.length; k++) {
      const prefix = p.first.slice(0, k);
      if (!rivals.some((q) => q.first.startsWith(prefix))) {
        return k === p.first.length ? `${p.last} ${p.first}` : `${p.last} ${prefix}.`;
      }
    }
    if (!rivals.some((q) => q.first === p.first)) return `${p.last} ${p.first}`;
    const twins = rivals.filter((q) => q.first === p.first);
    const initial = p.middle.slice(0, 1);
    if (initial && !twins.some((q) => q.middle.startsWith(initial))) return `${p.last} ${p.first} ${initial}.`;
    return fullNames[i];
  });
}
