// Started as a child process by tests: brings up the embedded PostgreSQL in the given DATA_DIR, prints its URL
// and waits to be killed.
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";

const db = await startEmbeddedPostgres(process.argv[2], () => {});
console.log(`READY ${db.url}`);
setInterval(() => {}, 1 << 30);
