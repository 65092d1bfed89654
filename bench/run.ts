// `npm run bench`: runs the benchmarks named in the issues and prints their figures.
// `npm run bench -- <name> [<name> ...]` runs only those.
type Bench = () => Promise<Record<string, number | string>>;

const benches: Record<string, () => Promise<Bench>> = {
  startup: async () => (await import("./startup.ts")).benchStartup,
  import: async () => (await import("./import.ts")).benchImport,
  "send-rate": async () => (await import("./send-rate.ts")).benchSendRate,
  "teacher-bot": async () => (await import("./teacher-bot.ts")).benchTeacherBot,
  digest: async () => (await import("./digest.ts")).benchDigest,
  reports: async () => (await import("./reports.ts")).benchReports,
  archive: async () => (await import("./archive.ts")).benchArchive,
  region: async () => (await import("./region.ts")).benchRegion,
  memory: async () => (await import("./memory.ts")).benchMemory,
};

const only = process.argv.slice(2);
let failed = false;
for (const [name, load] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  const started = Date.now();
  try {
    const figures = await (await load())();
    console.log(`\n## ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(44)} ${v}`);
  } catch (err) {
    failed = true;
    console.log(`\n## ${name}: FAILED — ${(err as Error).stack ?? err}`);
  }
}
process.exit(failed ? 1 : 0);
