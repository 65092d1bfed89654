// A target added later (a second disk in ARCHIVE_DIRS) gets copies of the archives it lacks, from a target whose
// copy is intact (signed manifest recorded in the database, every file matching it), so that each archive is on
// every medium. Only archives missing whole are copied: a damaged copy is left for the check to report.
import type { Db } from "../../core/tx.ts";
import { MANIFEST_FILE, readSignedManifest, sha256 } from "./manifest.ts";
import type { ArchiveFile, ArchiveTarget } from "./targets.ts";

async function intactCopy(t: ArchiveTarget, path: string, manifestSha: string): Promise<ArchiveFile[] | null> {
  const bytes = await t.readFile(`${path}/${MANIFEST_FILE}`);
  if (!bytes || sha256(bytes) !== manifestSha) return null;
  const manifest = readSignedManifest(bytes);
  if (!manifest) return null;
  const files: ArchiveFile[] = [];
  for (const f of manifest.files) {
    const content = await t.readFile(`${path}/${f.name}`);
    if (!content) continue; // pruned past retention, or missing: copy what there is
    if (sha256(content) !== f.sha256) return null;
    files.push({ name: f.name, bytes: content });
  }
  return [...files, { name: MANIFEST_FILE, bytes }];
}

export async function replicateArchives(prisma: Db, targets: ArchiveTarget[], schoolId: number): Promise<number> {
  let copied = 0;
  const archives = await prisma.archive.findMany({ where: { schoolId, prunedAt: null }, orderBy: { id: "asc" } });
  for (const a of archives) {
    const missing: ArchiveTarget[] = [];
    const present: ArchiveTarget[] = [];
    for (const t of targets) ((await t.list(a.path)).length === 0 ? missing : present).push(t);
    if (missing.length === 0) continue;
    let files: ArchiveFile[] | null = null;
    for (const t of present) {
      files = await intactCopy(t, a.path, a.manifestSha256);
      if (files) break;
    }
    if (!files) continue;
    for (const t of missing) {
      await t.writeDirectory(a.path, files);
      copied++;
    }
  }
  return copied;
}
