// A class to pick (student movement, the student directory, invitations): one button per class with its number
// of students today, four to a row.
import type { InnerContext } from "../context.ts";
import { button, type Keyboard, rows } from "./screen.ts";

export function classPicker(
  ctx: InnerContext,
  classes: readonly { classId: number; name: string; students: number }[],
  data: (classId: number) => string,
): Keyboard {
  return rows(
    classes.map((c) => button(ctx.t("ui:classButton", { name: c.name, count: c.students }), data(c.classId))),
    4,
  );
}
