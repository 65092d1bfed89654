import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../src/core/actor.ts";
import { appendAudit, verifyAuditChain } from "../../src/core/audit.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

describe("R-10, R-15 audit trail: append-only, hash-chained", () => {
  let db: TestDb;
  let schoolId: number;
  let otherSchoolId: number;

  beforeAll(async () => {
    db = await createTestDb();
    schoolId = (await db.prisma.school.create({ data: { name: "Школа" } })).id;
    otherSchoolId = (await db.prisma.school.create({ data: { name: "Другая школа" } })).id;
  });
  afterAll(() => db.drop());

  async function freshChain(n: number): Promise<bigint[]> {
    await db.prisma.auditEvent.deleteMany({ where: { schoolId } });
    const actor = { personId: 1, schoolId, roles: [] };
    for (let i = 0; i < n; i++) {
      await db.prisma.$transaction((tx) =>
        appendAudit(tx, actor, { action: "mark.create", entity: "Mark", entityId: i, data: { value: "5", i } }),
      );
    }
    const rows = await db.prisma.auditEvent.findMany({ where: { schoolId }, orderBy: { id: "asc" } });
    return rows.map((r) => r.id);
  }

  it("verifies an intact chain, per school", async () => {
    await freshChain(5);
    await db.prisma.$transaction((tx) =>
      appendAudit(tx, systemActor(otherSchoolId), { action: "x", entity: "School" }),
    );
    expect(await verifyAuditChain(db.prisma, schoolId)).toEqual({ ok: true, checked: 5 });
    expect(await verifyAuditChain(db.prisma, otherSchoolId)).toEqual({ ok: true, checked: 1 });
  });

  it("detects a changed row (an old mark value rewritten)", async () => {
    const ids = await freshChain(5);
    await db.prisma.auditEvent.update({ where: { id: ids[2] }, data: { data: { value: "2", i: 2 } } });
    expect(await verifyAuditChain(db.prisma, schoolId)).toMatchObject({ ok: false, brokenAt: ids[2].toString() });
  });

  it("detects a removed row", async () => {
    const ids = await freshChain(5);
    await db.prisma.auditEvent.delete({ where: { id: ids[1] } });
    expect(await verifyAuditChain(db.prisma, schoolId)).toMatchObject({ ok: false, brokenAt: ids[2].toString() });
  });

  it("detects a forged row whose hash was recomputed but not the rest of the chain", async () => {
    const ids = await freshChain(3);
    const last = await db.prisma.auditEvent.findUniqueOrThrow({ where: { id: ids[2] } });
    // an attacker who rewrites a row and its own hash still breaks the link to the next event
    const first = await db.prisma.auditEvent.findUniqueOrThrow({ where: { id: ids[0] } });
    await db.prisma.auditEvent.update({ where: { id: ids[0] }, data: { hash: "f".repeat(64) } });
    expect((await verifyAuditChain(db.prisma, schoolId)).ok).toBe(false);
    await db.prisma.auditEvent.update({ where: { id: ids[0] }, data: { hash: first.hash } });
    expect((await verifyAuditChain(db.prisma, schoolId)).ok).toBe(true);
    expect(last.prevHash).not.toBe(last.hash);
  });

  it("keeps one linear chain when several transactions append at once", async () => {
    await db.prisma.auditEvent.deleteMany({ where: { schoolId } });
    const actor = { personId: 1, schoolId, roles: [] };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.prisma.$transaction((tx) =>
          appendAudit(tx, actor, [
            { action: "a", entity: "Lesson", entityId: i },
            { action: "b", entity: "Lesson", entityId: i },
          ]),
        ),
      ),
    );
    expect(await verifyAuditChain(db.prisma, schoolId)).toEqual({ ok: true, checked: 24 });
  });
});
