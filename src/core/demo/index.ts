// The demo schools: generated workbooks, seeding through the import, reset.
export { buildDemoWorkbook, type DemoOptions, demoQuarters } from "./build-workbook.ts";
export { resetDemo, truncateAll } from "./reset.ts";
export { DEMO_SCHOOLS, type DemoSchool } from "./schools.ts";
export {
  DEMO_TIMEZONE,
  SANDBOX_BOT_USERNAME,
  type SeedDemoOptions,
  type SeedDemoResult,
  type SeedDemoSchoolsResult,
  seedDemoIfEmpty,
  seedDemoSchool,
  seedDemoSchools,
} from "./seed.ts";
