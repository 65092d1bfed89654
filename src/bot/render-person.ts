// How a person is named and described in messages: "Мария Петровна", "учитель, классный руководитель 7Б".
import type { TFunction } from "i18next";
import type { PersonDescription } from "../core/accounts/index.ts";

export function greetingName(p: PersonDescription): string {
  return p.middleName ? `${p.firstName} ${p.middleName}` : p.firstName;
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
