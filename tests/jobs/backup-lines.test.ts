import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { gzipLines } from "../../src/jobs/backup/logical-backup.ts";

describe("reading a logical backup", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "classbook-lines-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The restore opens the file, then starts a transaction, then reads. With readline's interface iterated
  // only after that await, the lines it emitted meanwhile were gone: the header first (CI on a busy machine).
  it("keeps every line, the first one included, when the reader starts late", async () => {
    const file = path.join(dir, "backup.gz");
    const written = ['{"format":"classbook-logical/1"}', ...Array.from({ length: 300 }, (_, i) => `T\t[${i}]`)];
    writeFileSync(file, gzipSync(`${written.join("\n")}\n`));
    const lines = gzipLines(file);
    await delay(200);
    const read: string[] = [];
    for await (const line of lines) read.push(line);
    expect(read).toEqual(written);
  });
});
