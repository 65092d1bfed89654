// The demo's schools (seed data), each with its own sandbox bot: the city school the tutorials and tests walk
// through, and a small village school three hours east of it, so the sandbox shows two schools on one
// deployment with their own bots, people and time zones.
import type { DemoOptions } from "./build-workbook.ts";
import { SCHOOL_NAME } from "./curriculum.ts";

export interface DemoSchool extends DemoOptions {
  name: string;
  timezone: string;
  /** The username of the school's bot (Bot row), distinct per school. */
  botUsername: string;
  /** Seeds the journal's marks, absences and homework. */
  journalSeed: number;
}

export const DEMO_SCHOOLS: readonly DemoSchool[] = [
  { name: SCHOOL_NAME, timezone: "Europe/Moscow", botUsername: "classbook_sandbox_bot", journalSeed: 7 },
  {
    name: "МКОУ «Сосновская основная общеобразовательная школа» (демо)",
    timezone: "Asia/Yekaterinburg",
    botUsername: "classbook_sosnovka_bot",
    classNames: ["3А", "6А", "8А"],
    classSize: [11, 16],
    staffProfiles: ["ru", "en", "inf", "bio", "pe"],
    subgroups: false,
    seed: 20260902,
    journalSeed: 11,
  },
];
