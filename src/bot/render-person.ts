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
