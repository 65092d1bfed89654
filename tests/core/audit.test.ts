import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../src/core/actor.ts";
import {
  AUDIT_VERSION,
  appendAudit,
  auditHash,
  auditHead,
  signAnchor,
  verifyAuditChain,
} from "../../src/core/audit.ts";
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

  it("writes keyed rows: a row recomputed with the old unkeyed formula does not verify", async () => {
    const ids = await freshChain(3);
    const rows = await db.prisma.auditEvent.findMany({ where: { schoolId }, orderBy: { id: "asc" } });
    expect(rows.every((r) => r.version === AUDIT_VERSION)).toBe(true);
    const target = rows[2];
    const changed = { ...target, data: { value: "2", i: 2 } };
    await db.prisma.auditEvent.update({
      where: { id: ids[2] },
      data: { data: changed.data, hash: auditHash(target.prevHash, changed, 1) },
    });
    expect(await verifyAuditChain(db.prisma, schoolId)).toMatchObject({ ok: false, brokenAt: ids[2].toString() });
  });

  it("rows written before keyed hashes (version 1) keep verifying", async () => {
    await db.prisma.auditEvent.deleteMany({ where: { schoolId } });
    let prevHash = "0".repeat(64);
    for (let i = 0; i < 3; i++) {
      const row = {
        schoolId,
        actorId: 1,
        action: "old",
        entity: "Mark",
        entityId: String(i),
        data: {},
        createdAt: new Date(),
      };
      const hash = auditHash(prevHash, row, 1);
      await db.prisma.auditEvent.create({ data: { ...row, prevHash, hash, version: 1 } });
      prevHash = hash;
    }
    await db.prisma.$transaction((tx) => appendAudit(tx, systemActor(schoolId), { action: "new", entity: "Mark" }));
    expect(await verifyAuditChain(db.prisma, schoolId)).toEqual({ ok: true, checked: 4 });
  });

  it("detects deleting the newest rows: the chain ends before the newest anchor", async () => {
    const ids = await freshChain(5);
    const anchor = signAnchor((await auditHead(db.prisma, schoolId))!);
    expect(await verifyAuditChain(db.prisma, schoolId, { anchor })).toEqual({
      ok: true,
      checked: 5,
      anchoredAt: ids[4].toString(),
    });
    await db.prisma.auditEvent.deleteMany({ where: { id: { in: [ids[3], ids[4]] } } });
    // without the anchor the shortened chain looks whole
    expect((await verifyAuditChain(db.prisma, schoolId)).ok).toBe(true);
    expect(await verifyAuditChain(db.prisma, schoolId, { anchor })).toMatchObject({
      ok: false,
      reason: "tail-removed",
      brokenAt: ids[4].toString(),
    });
  });

  it("detects a changed row with the whole chain after it recomputed (by someone holding the key, or unkeyed)", async () => {
    const ids = await freshChain(5);
    const anchor = signAnchor((await auditHead(db.prisma, schoolId))!);
    const rows = await db.prisma.auditEvent.findMany({ where: { schoolId }, orderBy: { id: "asc" } });
    for (const version of [AUDIT_VERSION, 1]) {
      let prevHash = rows[1].hash;
      for (const r of rows.slice(2)) {
        const data = r.id === ids[2] ? { value: "2", i: 2, v: version } : r.data;
        const hash = auditHash(prevHash, { ...r, data }, version);
        await db.prisma.auditEvent.update({
          where: { id: r.id },
          data: { data: data as object, prevHash, hash, version },
        });
        prevHash = hash;
      }
      // a recomputed chain is internally consistent...
      expect((await verifyAuditChain(db.prisma, schoolId)).ok).toBe(version === AUDIT_VERSION);
      // ...but does not end in the anchored head
      expect(await verifyAuditChain(db.prisma, schoolId, { anchor })).toMatchObject({
        ok: false,
        reason: version === AUDIT_VERSION ? "anchor-mismatch" : "version",
      });
    }
  });

  it("refuses a forged anchor", async () => {
    await freshChain(2);
    const anchor = signAnchor((await auditHead(db.prisma, schoolId))!);
    const forged = { ...anchor, lastId: (BigInt(anchor.lastId) - 1n).toString() };
    expect(await verifyAuditChain(db.prisma, schoolId, { anchor: forged })).toMatchObject({
      ok: false,
      reason: "anchor-forged",
    });
  });
});
