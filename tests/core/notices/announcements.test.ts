import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import {
  acknowledgeAnnouncement,
  announcementStats,
  announceTargets,
  createAnnouncement,
  myAnnouncements,
  openAnnouncementFile,
  previewAnnouncement,
} from "../../../src/core/notices/index.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";

const code = (c: string) => (e: unknown) => isAppError(e, c as never);

describe("class notices (R-24)", () => {
  let db: TestDb;
  let s: TestSchool;
  let other: TestSchool;
  const consenting = (students: number[]) => students.map((id) => s.guardians.get(id)![0]);

  beforeAll(async () => {
    db = await createTestDb();
    const today = localMoment("Europe/Moscow").date;
    s = await buildSchool(db.prisma, { today });
    other = await buildSchool(db.prisma, { today, studentsPerClass: 2 });
  });
  afterAll(async () => {
    await db.drop();
  });

  it("R-24 R-09: a class teacher's notice to parents reaches the consenting guardians of the class, with receipts, audit and outbox in one go", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const created = await createAnnouncement(db.prisma, math, {
      scope: "CLASS",
      classId: s.classes.c7b,
      audience: "PARENTS",
      text: "Родительское собрание в четверг в 18:00",
    });
    expect(created.recipients).toBe(6);
    const receipts = await db.prisma.announcementReceipt.findMany({
      where: { announcementId: created.announcementId },
    });
    expect(receipts.map((r) => r.personId).sort()).toEqual(consenting(s.students.c7b).sort());
    // the second guardian of each child has not given consent: no receipt
    for (const st of s.students.c7b) expect(receipts.some((r) => r.personId === s.guardians.get(st)![1])).toBe(false);
    const outbox = await db.prisma.outbox.findMany({ where: { kind: "announcement.created" } });
    expect(outbox.map((o) => o.payload)).toContainEqual({ announcementId: created.announcementId });
    const audit = await db.prisma.auditEvent.findFirst({
      where: { action: "announcement.create", entityId: String(created.announcementId) },
    });
    expect(audit?.actorId).toBe(s.people.mathTeacher);
  });

  it("R-24: a class teacher cannot announce to another class, a subject teacher not to a class they only teach, neither to the school", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const english = await s.actor(s.people.englishTeacher1);
    const before = await db.prisma.announcement.count();
    const input = { scope: "CLASS" as const, audience: "PARENTS" as const, text: "x" };
    await expect(createAnnouncement(db.prisma, math, { ...input, classId: s.classes.c8a })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    await expect(createAnnouncement(db.prisma, english, { ...input, classId: s.classes.c7b })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    await expect(createAnnouncement(db.prisma, math, { ...input, scope: "SCHOOL" })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    await expect(createAnnouncement(db.prisma, math, { ...input, scope: "PARALLEL", grade: 7 })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    // a class of another school
    await expect(createAnnouncement(db.prisma, math, { ...input, classId: other.classes.c7b })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    expect(await db.prisma.announcement.count()).toBe(before);
  });

  it("R-24: the administration posts to a parallel and to the school; targets list what each may choose", async () => {
    const deputy = await s.actor(s.people.deputy);
    const director = await s.actor(s.people.director);
    const parallel = await previewAnnouncement(db.prisma, deputy, { scope: "PARALLEL", grade: 7, audience: "BOTH" });
    expect(parallel).toMatchObject({ guardians: 6, students: 6, recipients: 12 });
    const school = await createAnnouncement(db.prisma, director, {
      scope: "SCHOOL",
      audience: "STUDENTS",
      text: "Каникулы",
    });
    expect(school.recipients).toBe(18);
    expect(await announceTargets(db.prisma, director)).toEqual({ classes: [], school: true, grades: [2, 7, 8] });
    expect(await announceTargets(db.prisma, await s.actor(s.people.russianTeacher))).toEqual({
      classes: [
        { classId: s.classes.c2a, name: "2А" },
        { classId: s.classes.c8a, name: "8А" },
      ],
      school: false,
      grades: [],
    });
  });

  it("R-09: no consent in the class → refused, nothing written; a student without a consenting guardian gets nothing", async () => {
    const russian = await s.actor(s.people.russianTeacher);
    const c2a = s.students.c2a;
    await db.prisma.guardianship.updateMany({
      where: { studentId: { in: c2a } },
      data: { consentRevokedAt: new Date() },
    });
    const before = { a: await db.prisma.announcement.count(), o: await db.prisma.outbox.count() };
    await expect(
      createAnnouncement(db.prisma, russian, { scope: "CLASS", classId: s.classes.c2a, audience: "BOTH", text: "x" }),
    ).rejects.toSatisfy(code("VALIDATION"));
    expect({ a: await db.prisma.announcement.count(), o: await db.prisma.outbox.count() }).toEqual(before);
    expect(
      await previewAnnouncement(db.prisma, russian, { scope: "CLASS", classId: s.classes.c2a, audience: "STUDENTS" }),
    ).toMatchObject({ recipients: 0 });
  });

  it("R-24: acknowledging, reading the file and the author's statistics; strangers are refused", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const created = await createAnnouncement(db.prisma, math, {
      scope: "CLASS",
      classId: s.classes.c7b,
      audience: "PARENTS",
      text: "Экскурсия",
      file: { kind: "document", fileId: "FILE123", name: "план.pdf" },
    });
    const [g0, g1, ...rest] = consenting(s.students.c7b);
    const ack = await acknowledgeAnnouncement(db.prisma, await s.actor(g0), { announcementId: created.announcementId });
    expect(ack.changed).toBe(true);
    const again = await acknowledgeAnnouncement(db.prisma, await s.actor(g0), {
      announcementId: created.announcementId,
    });
    expect(again.changed).toBe(false);
    expect(
      await openAnnouncementFile(db.prisma, await s.actor(g1), { announcementId: created.announcementId }),
    ).toEqual({
      kind: "document",
      fileId: "FILE123",
      name: "план.pdf",
    });
    // the non-consenting guardian, another teacher, another school: refused
    const g0second = s.guardians.get(s.students.c7b[0])![1];
    await expect(
      acknowledgeAnnouncement(db.prisma, await s.actor(g0second), { announcementId: created.announcementId }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      openAnnouncementFile(db.prisma, await s.actor(s.people.otherTeacher), { announcementId: created.announcementId }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      announcementStats(db.prisma, await s.actor(s.people.russianTeacher), { announcementId: created.announcementId }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      announcementStats(db.prisma, await other.actor(other.people.director), {
        announcementId: created.announcementId,
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));

    const stats = await announcementStats(db.prisma, math, { announcementId: created.announcementId });
    expect(stats).toMatchObject({
      recipients: 6,
      delivered: 0,
      read: 2,
      acknowledged: 1,
      hasFile: true,
      className: "7Б",
    });
    expect(stats.notAcknowledged.map((p) => p.personId).sort()).toEqual([g1, ...rest].sort());
    expect(stats.notAcknowledged[0].children).toHaveLength(1);
    // the administration may look too
    const byDirector = await announcementStats(db.prisma, await s.actor(s.people.director), {
      announcementId: created.announcementId,
    });
    expect(byDirector.acknowledged).toBe(1);

    const mine = await myAnnouncements(db.prisma, math);
    expect(mine[0]).toMatchObject({ announcementId: created.announcementId, recipients: 6, acknowledged: 1 });
    expect(mine.every((m) => m.className === "7Б")).toBe(true);
  });
});
