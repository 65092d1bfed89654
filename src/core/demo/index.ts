// The demo school: generated workbook, seeding through the import, reset.
export { buildDemoWorkbook, type DemoOptions, demoQuarters } from "./build-workbook.ts";
export { resetDemo, truncateAll } from "./reset.ts";
export {
  DEMO_TIMEZONE,
  SANDBOX_BOT_USERNAME,
  type SeedDemoOptions,
  type SeedDemoResult,
  seedDemoIfEmpty,
  seedDemoSchool,
} from "./seed.ts";
