// A second worker process for the send-rate bench: the same notify queue, Redis prefix and shared rate state as
// the bench's own process (send-jobs.ts), until SIGTERM.
import { createPrisma } from "../src/db/database.ts";
import { sendingJobs, targetFromEnv } from "./send-jobs.ts";

const target = targetFromEnv();
const prisma = createPrisma(target.dbUrl, target.dbSchema);
const sending = sendingJobs(prisma, target);
await sending.jobs.startWorkers();
process.on("SIGTERM", async () => {
  await sending.close();
  await prisma.$disconnect();
  process.exit(0);
});
