import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { inbox, messageToAnswer, sendMessage, teachersOfChild, thread } from "../../../src/core/messages/index.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";

const code = (c: string) => (e: unknown) => isAppError(e, c as never);

describe("messages between parents and teachers (R-22)", () => {
  let db: TestDb;
  let s: TestSchool;
  let child: number; // 7Б, English subgroup 1
  let mother: number; // consenting guardian of child
  let father: number; // guardian without consent
  let otherMother: number; // consenting guardian of another 7Б child

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    child = s.students.c7b[0];
    [mother, father] = s.guardians.get(child)!;
    otherMother = s.guardians.get(s.students.c7b[1])![0];
  });
  afterAll(async () => {
    await db.drop();
  });

  it("R-22: the guardian picks from the child's class teacher and subject teachers (own subgroup only)", async () => {
    const r = await teachersOfChild(db.prisma, await s.actor(mother), { studentId: child });
    expect(r.className).toBe("7Б");
    expect(r.teachers.map((t) => [t.personId, t.subjects, t.classTeacher])).toEqual([
      [s.people.mathTeacher, ["Алгебра"], true],
      [s.people.englishTeacher1, ["Английский язык"], false],
      [s.people.russianTeacher, ["Русский язык"], false],
    ]);
    expect(r.teachers[0].name).toBe("Математиков Пётр Тестович");
    await expect(teachersOfChild(db.prisma, await s.actor(father), { studentId: child })).rejects.toSatisfy(
      code("CONSENT_REQUIRED"),
    );
    await expect(teachersOfChild(db.prisma, await s.actor(otherMother), { studentId: child })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
  });

  it("R-22 R-09: a guardian cannot write to a teacher who does not teach the child, nor without consent, nor about another child", async () => {
    const before = await db.prisma.correspondence.count();
    const m = await s.actor(mother);
    for (const to of [s.people.otherTeacher, s.people.englishTeacher2, s.people.director, otherMother]) {
      await expect(
        sendMessage(db.prisma, m, { toPersonId: to, studentId: child, text: "Здравствуйте" }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    }
    await expect(
      sendMessage(db.prisma, await s.actor(father), {
        toPersonId: s.people.russianTeacher,
        studentId: child,
        text: "x",
      }),
    ).rejects.toSatisfy(code("CONSENT_REQUIRED"));
    await expect(
      sendMessage(db.prisma, await s.actor(otherMother), {
        toPersonId: s.people.russianTeacher,
        studentId: child,
        text: "x",
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await db.prisma.correspondence.count()).toBe(before);
  });

  it("R-22: guardian → subject teacher → reply; stored with audit and outbox; a teacher cannot write to a random guardian", async () => {
    const sent = await sendMessage(db.prisma, await s.actor(mother), {
      toPersonId: s.people.russianTeacher,
      studentId: child,
      text: "Можно пересдать диктант?",
    });
    expect(
      await db.prisma.outbox.findFirst({ where: { kind: "correspondence.created" }, orderBy: { id: "desc" } }),
    ).toMatchObject({
      payload: { correspondenceId: sent.correspondenceId },
    });
    expect(
      await db.prisma.auditEvent.count({
        where: { action: "correspondence.create", entityId: String(sent.correspondenceId) },
      }),
    ).toBe(1);
    const rus = await s.actor(s.people.russianTeacher);
    const toAnswer = await messageToAnswer(db.prisma, rus, { correspondenceId: sent.correspondenceId });
    expect(toAnswer).toMatchObject({ withPersonId: mother, studentId: child, className: "7Б" });
    const reply = await sendMessage(db.prisma, rus, {
      toPersonId: mother,
      studentId: child,
      text: "Да, в пятницу.",
      replyToId: sent.correspondenceId,
    });
    expect(reply.toPersonId).toBe(mother);
    // a subject teacher to a guardian who did not write to them; to the non-consenting father; a stranger teacher
    await expect(
      sendMessage(db.prisma, rus, { toPersonId: otherMother, studentId: s.students.c7b[1], text: "x" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(sendMessage(db.prisma, rus, { toPersonId: father, studentId: child, text: "x" })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    await expect(
      sendMessage(db.prisma, await s.actor(s.people.otherTeacher), { toPersonId: mother, studentId: child, text: "x" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    // a reply pointing at someone else's message
    await expect(
      sendMessage(db.prisma, await s.actor(s.people.mathTeacher), {
        toPersonId: mother,
        studentId: child,
        text: "x",
        replyToId: sent.correspondenceId,
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      messageToAnswer(db.prisma, await s.actor(otherMother), { correspondenceId: sent.correspondenceId }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    // the class teacher may write to any consenting guardian of the class
    await sendMessage(db.prisma, await s.actor(s.people.mathTeacher), {
      toPersonId: otherMother,
      studentId: s.students.c7b[1],
      text: "Напоминаю про собрание",
    });
  });

  it("R-22: inbox and thread show only one's own correspondence; withdrawn consent hides it (R-09)", async () => {
    const m = await s.actor(mother);
    const box = await inbox(db.prisma, m);
    expect(box).toEqual([
      expect.objectContaining({
        withPersonId: s.people.russianTeacher,
        studentId: child,
        lastFromMe: false,
        unread: 1,
      }),
    ]);
    const t = await thread(db.prisma, m, { studentId: child, withPersonId: s.people.russianTeacher });
    expect(t.messages.map((x) => [x.fromMe, x.text])).toEqual([
      [true, "Можно пересдать диктант?"],
      [false, "Да, в пятницу."],
    ]);
    expect((await inbox(db.prisma, m))[0].unread).toBe(0);
    await expect(
      thread(db.prisma, await s.actor(otherMother), { studentId: child, withPersonId: s.people.russianTeacher }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await db.prisma.guardianship.updateMany({ where: { guardianId: mother }, data: { consentRevokedAt: new Date() } });
    expect(await inbox(db.prisma, m)).toEqual([]);
    await expect(thread(db.prisma, m, { studentId: child, withPersonId: s.people.russianTeacher })).rejects.toSatisfy(
      code("CONSENT_REQUIRED"),
    );
  });
});
