// correspondence.created { correspondenceId } → the message relayed to its recipient by person: the
// sender's name, the child and the class, the text and "reply". No Telegram names or ids of either side are
// ever shown. A guardian without standing consent, on either side, gets or sends nothing more.
import { z } from "zod";
import { replyCallback } from "../../actions/notices.ts";
import { fullNameOf } from "../../core/accounts/index.ts";
import { fromIsoDate, localMoment } from "../../core/dates.ts";
import { getSchool } from "../../core/settings.ts";
import { translator } from "../../i18n.ts";
import type { OutboxHandler } from "../outbox/handler.ts";
import { languagesOf } from "./recipient-language.ts";

const payloadSchema = z.object({ correspondenceId: z.number().int().positive() });

export const correspondenceCreatedHandler: OutboxHandler = {
  kind: "correspondence.created",
  async handle(row, { db, now }) {
    const { correspondenceId } = payloadSchema.parse(row.payload);
    const c = await db.correspondence.findUnique({
      where: { id: correspondenceId },
      select: { id: true, schoolId: true, fromPersonId: true, toPersonId: true, studentId: true, text: true },
    });
    if (!c || c.schoolId !== row.schoolId || c.studentId === null) return [];
    const school = await getSchool(db, c.schoolId);
    const day = fromIsoDate(localMoment(school.timezone, now).date);
    const [links, from, student, langs] = await Promise.all([
      db.guardianship.findMany({
        where: { studentId: c.studentId, guardianId: { in: [c.fromPersonId, c.toPersonId] }, endedAt: null },
        select: { guardianId: true, consentGivenAt: true, consentRevokedAt: true },
      }),
      db.person.findUnique({
        where: { id: c.fromPersonId },
        select: { lastName: true, firstName: true, middleName: true },
      }),
      db.student.findUnique({
        where: { id: c.studentId },
        select: {
          person: { select: { lastName: true, firstName: true } },
          enrollments: {
            where: { fromDate: { lte: day }, OR: [{ toDate: null }, { toDate: { gt: day } }] },
            take: 1,
            select: { class: { select: { name: true } } },
          },
        },
      }),
      languagesOf(db, [c.toPersonId]),
    ]);
    if (!from || !student) return [];
    if (links.some((l) => !l.consentGivenAt || l.consentRevokedAt)) return [];
    const fromParent = links.some((l) => l.guardianId === c.fromPersonId);
    const t = translator(langs.get(c.toPersonId) ?? "ru");
    return [
      {
        dedupKey: `correspondence-${c.id}-${c.toPersonId}`,
        schoolId: c.schoolId,
        personId: c.toPersonId,
        kind: "correspondence.created",
        render: {
          key: fromParent ? "notices:relay.fromParent" : "notices:relay.fromTeacher",
          params: {
            from: fullNameOf(from),
            child: `${student.person.lastName} ${student.person.firstName}`,
            class: student.enrollments[0]?.class.name ?? "—",
            text: c.text,
          },
        },
        buttons: [[{ text: t("notices:relay.reply"), action: replyCallback.encode({ correspondenceId: c.id }) }]],
      },
    ];
  },
};
