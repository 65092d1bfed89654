// the rights a school gives its staff roles are the ones the core enforces — invitations, the school's
// reports and the import as well (they used to ask "is this the administration?" and ignored the settings).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorForPerson, createInvite } from "../../src/core/accounts/index.ts";
import { addDays } from "../../src/core/dates.ts";
import { importSchool } from "../../src/core/import/import-school.ts";
import { journalFillingReport } from "../../src/core/reports/journal-filling-report.ts";
import { updateSchoolSettings } from "../../src/core/school-settings/update-school-settings.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";

let db: TestDb;
let s: TestSchool;
let secretary: number;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma);
  const p = await db.prisma.person.create({
    data: { schoolId: s.schoolId, lastName: "Секретарёва", firstName: "Вера" },
  });
  await db.prisma.staffRole.create({ data: { schoolId: s.schoolId, personId: p.id, role: "SECRETARY" } });
  secretary = p.id;
});
afterAll(async () => {
  await db.drop();
});

const FORBIDDEN = { code: "FORBIDDEN" };
const actor = (personId: number) => actorForPerson(db.prisma, personId);
const setRights = async (rolePermissions: Record<string, string[]>) =>
  updateSchoolSettings(db.prisma, await actor(s.people.director), { rolePermissions });
const week = () => ({ from: addDays(s.monday, -7), to: s.monday });

describe("the school's rights per role", () => {
  it("a secretary invites any family (invite.family.all) but no staff; taken away, nobody's family", async () => {
    const parentOf8a = s.guardians.get(s.students.c8a[0])![0];
    const invite = await createInvite(db.prisma, await actor(secretary), { personId: parentOf8a, role: "GUARDIAN" });
    expect(invite.code).toBeTruthy();
    await expect(
      createInvite(db.prisma, await actor(secretary), { personId: s.people.mathTeacher, role: "STAFF" }),
    ).rejects.toMatchObject(FORBIDDEN);

    await setRights({ SECRETARY: [] });
    await expect(
      createInvite(db.prisma, await actor(secretary), { personId: parentOf8a, role: "GUARDIAN" }),
    ).rejects.toMatchObject(FORBIDDEN);
    // the class teacher of 8А still invites the families of her class
    const classTeacher = await actor(s.people.russianTeacher);
    expect((await createInvite(db.prisma, classTeacher, { personId: parentOf8a, role: "GUARDIAN" })).code).toBeTruthy();
  });

  it("a deputy without invite.staff and report.school is refused both; a teacher given report.school gets it", async () => {
    await expect(journalFillingReport(db.prisma, await actor(s.people.mathTeacher), week())).rejects.toMatchObject(
      FORBIDDEN,
    );
    const others = ["journal.read.all", "student.read.all", "admin.import"];
    await setRights({ DEPUTY: others, ADMIN: others, TEACHER: ["report.school"] });
    const deputy = await actor(s.people.deputy);
    await expect(
      createInvite(db.prisma, deputy, { personId: s.people.mathTeacher, role: "STAFF" }),
    ).rejects.toMatchObject(FORBIDDEN);
    await expect(journalFillingReport(db.prisma, deputy, week())).rejects.toMatchObject(FORBIDDEN);
    const report = await journalFillingReport(db.prisma, await actor(s.people.mathTeacher), week());
    expect(report.lessons.total).toBeGreaterThan(0);
    // the director keeps every right
    const director = await actor(s.people.director);
    expect(
      (await createInvite(db.prisma, director, { personId: s.people.mathTeacher, role: "STAFF" })).code,
    ).toBeTruthy();
  });

  it("the import follows admin.import", async () => {
    await setRights({ DEPUTY: [], ADMIN: [] });
    await expect(
      importSchool(db.prisma, { people: [] } as never, { actor: await actor(s.people.deputy), schoolId: s.schoolId }),
    ).rejects.toMatchObject(FORBIDDEN);
  });
});
