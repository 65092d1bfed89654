// announcement.created { announcementId } → one message per recipient with "acknowledge" and, when the
// notice has a file, "open file" (the bot then sends the file by its Telegram file id and counts the notice
// as read). Recipients are the receipts written when the notice was sent; a guardian whose consent was
// withdrawn since gets nothing. Telegram accepting the message marks the receipt delivered.
import { z } from "zod";
import { noticeKeyboard } from "../../actions/notices.ts";
import { fullNameOf } from "../../core/accounts/index.ts";
import type { AnnouncementFile } from "../../core/notices/index.ts";
import { translator } from "../../i18n.ts";
import { actionButtons } from "../outbox/buttons.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { languagesOf } from "./recipient-language.ts";

const payloadSchema = z.object({ announcementId: z.number().int().positive() });

export const announcementDedupKey = (announcementId: number, personId: number) =>
  `announcement-${announcementId}-${personId}`;

const refSchema = z.object({ announcementId: z.number(), personId: z.number() });

export const announcementCreatedHandler: OutboxHandler = {
  kind: "announcement.created",
  async afterSend(db, ref, sentAt) {
    const { announcementId, personId } = refSchema.parse(ref);
    await db.announcementReceipt.updateMany({
      where: { announcementId, personId, deliveredAt: null },
      data: { deliveredAt: sentAt },
    });
  },
  async handle(row, { db }) {
    const { announcementId } = payloadSchema.parse(row.payload);
    const a = await db.announcement.findUnique({
      where: { id: announcementId },
      select: {
        schoolId: true,
        authorId: true,
        scope: true,
        grade: true,
        text: true,
        file: true,
        class: { select: { name: true, classTeacherId: true } },
        receipts: { select: { personId: true, acknowledgedAt: true }, orderBy: { personId: "asc" } },
      },
    });
    if (!a || a.schoolId !== row.schoolId || a.receipts.length === 0) return [];
    const ids = a.receipts.map((r) => r.personId);
    const [author, guardians, students, langs] = await Promise.all([
      db.person.findUnique({
        where: { id: a.authorId },
        select: { lastName: true, firstName: true, middleName: true },
      }),
      db.guardianship.findMany({
        where: {
          schoolId: a.schoolId,
          guardianId: { in: ids },
          endedAt: null,
          consentGivenAt: { not: null },
          consentRevokedAt: null,
        },
        select: { guardianId: true },
      }),
      db.student.findMany({ where: { schoolId: a.schoolId, personId: { in: ids } }, select: { personId: true } }),
      languagesOf(db, ids),
    ]);
    const allowed = new Set([...guardians.map((g) => g.guardianId), ...students.map((s) => s.personId)]);
    const file = a.file as AnnouncementFile | null;
    const key =
      a.scope === "CLASS" && a.class?.classTeacherId === a.authorId
        ? "notices:ann.fromClassTeacher"
        : "notices:ann.fromSchool";
    return a.receipts
      .filter((r) => allowed.has(r.personId))
      .map((r): OutgoingMessage => {
        const lng = langs.get(r.personId) ?? "ru";
        const t = translator(lng);
        const target = t(`notices:notice.target.${a.scope}`, { name: a.class?.name ?? "", grade: a.grade ?? "" });
        const fileName = file ? file.name || t(`notices:notice.${file.kind}`) : "";
        return {
          dedupKey: announcementDedupKey(announcementId, r.personId),
          schoolId: a.schoolId,
          personId: r.personId,
          kind: "announcement.created",
          render: {
            key,
            params: {
              target,
              author: author ? fullNameOf(author) : "",
              text: a.text,
              file: file ? t("notices:ann.fileLine", { name: fileName }) : "",
            },
          },
          buttons: actionButtons(
            noticeKeyboard(t, announcementId, { hasFile: !!file, acknowledged: !!r.acknowledgedAt }).inline_keyboard,
          ),
          ref: { announcementId, personId: r.personId },
        };
      });
  },
};
