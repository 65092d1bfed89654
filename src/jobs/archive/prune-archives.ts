// Retention: printed journals and the journal's data are kept 5 years after the end of their school
// year, summary sheets of final marks 25. Pruning removes only files whose keepUntil has passed, and a whole
// archive (with its manifest) only when all of its files have; nothing is deleted before its time.
import { toIsoDate } from "../../core/dates.ts";
import type { Db } from "../../core/tx.ts";
import { MANIFEST_FILE, readSignedManifest } from "./manifest.ts";
import type { ArchiveTarget } from "./targets.ts";

export interface PruneResult {
  files: number;
  archives: number;
}

export async function pruneArchives(prisma: Db, targets: ArchiveTarget[], now = new Date()): Promise<PruneResult> {
  const today = toIsoDate(now);
  const out: PruneResult = { files: 0, archives: 0 };
  // Only archives with something past retention: the first file of any archive expires after 5 years.
  const due = await prisma.archive.findMany({ where: { prunedAt: null }, orderBy: { id: "asc" } });
  for (const a of due) {
    const whole = toIsoDate(a.keepUntil) < today;
    for (const t of targets) {
      const bytes = await t.readFile(`${a.path}/${MANIFEST_FILE}`);
      const manifest = bytes ? readSignedManifest(bytes) : null;
      // An unreadable or forged manifest says nothing trustworthy about what may go: leave it to the check.
      if (!manifest) continue;
      if (whole && manifest.files.every((f) => f.keepUntil < today)) {
        await t.remove(a.path);
        out.archives++;
        continue;
      }
      const present = new Set(await t.list(a.path));
      for (const f of manifest.files) {
        if (f.keepUntil < today && present.has(f.name)) {
          await t.remove(`${a.path}/${f.name}`);
          out.files++;
        }
      }
    }
    if (whole) await prisma.archive.update({ where: { id: a.id }, data: { prunedAt: now } });
  }
  return out;
}
