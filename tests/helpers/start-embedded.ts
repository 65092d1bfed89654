// Started as a child process by tests: brings up the embedded PostgreSQL in the given DATA_DIR, prints its URL
// and waits; SIGTERM stops the server it started, SIGKILL leaves it running (as a crash would).
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";

const db = await startEmbeddedPostgres(process.argv[2], () => {});
console.log(`READY ${db.url}`);
const keepAlive = setInterval(() => {}, 1 << 30);
process.once("SIGTERM", async () => {
  clearInterval(keepAlive);
  await db.stop();
  process.exit(0);
});
