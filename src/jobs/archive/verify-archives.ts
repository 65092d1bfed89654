// The integrity check of a school's archives (R-30, for the whole retention period): every recorded archive on
// every target is read back and compared with its signed manifest, and the manifest with the database (its
// SHA-256 in Archive, its audit head in the chain). Each problem is named; the run is recorded in ArchiveCheck
// and, when something is wrong, the administration is told (outbox "archive.check-failed").
import { toIsoDate } from "../../core/dates.ts";
import { enqueueOutbox } from "../../core/outbox.ts";
import type { Db } from "../../core/tx.ts";
import { MANIFEST_FILE, readSignedManifest, sha256 } from "./manifest.ts";
import type { ArchiveTarget } from "./targets.ts";

export type ArchiveProblemKind =
  | "manifest-missing"
  | "manifest-forged" // does not parse or its HMAC does not hold
  | "manifest-replaced" // signed, but not the manifest recorded in the database
  | "audit-head-mismatch" // the audit event the manifest anchors is gone or changed
  | "file-missing"
  | "file-changed";

export interface ArchiveProblem {
  target: string;
  archive: string;
  file?: string;
  problem: ArchiveProblemKind;
}

export interface ArchiveCheckResult {
  checkId: number;
  ok: boolean;
  archives: number;
  targets: number;
  problems: ArchiveProblem[];
}

export async function verifySchoolArchives(
  prisma: Db,
  targets: ArchiveTarget[],
  schoolId: number,
  now = new Date(),
): Promise<ArchiveCheckResult> {
  const today = toIsoDate(now);
  const archives = await prisma.archive.findMany({ where: { schoolId, prunedAt: null }, orderBy: { id: "asc" } });
  const problems: ArchiveProblem[] = [];
  for (const a of archives) {
    for (const t of targets) {
      const at = { target: t.name, archive: a.path };
      const bytes = await t.readFile(`${a.path}/${MANIFEST_FILE}`);
      if (!bytes) {
        problems.push({ ...at, problem: "manifest-missing" });
        continue;
      }
      const manifest = readSignedManifest(bytes);
      if (!manifest) {
        problems.push({ ...at, problem: "manifest-forged" });
        continue;
      }
      if (sha256(bytes) !== a.manifestSha256) problems.push({ ...at, problem: "manifest-replaced" });
      if (manifest.auditHead) {
        const ev = await prisma.auditEvent.findFirst({
          where: { id: BigInt(manifest.auditHead.lastId), schoolId },
          select: { hash: true },
        });
        if (ev?.hash !== manifest.auditHead.hash) problems.push({ ...at, problem: "audit-head-mismatch" });
      }
      for (const f of manifest.files) {
        const content = await t.readFile(`${a.path}/${f.name}`);
        if (!content) {
          // pruned after its retention: expected to be gone
          if (f.keepUntil < today) continue;
          problems.push({ ...at, file: f.name, problem: "file-missing" });
        } else if (content.length !== f.bytes || sha256(content) !== f.sha256) {
          problems.push({ ...at, file: f.name, problem: "file-changed" });
        }
      }
    }
  }
  const ok = problems.length === 0;
  const check = await prisma.$transaction(async (tx) => {
    const row = await tx.archiveCheck.create({
      data: { schoolId, at: now, ok, checked: archives.length, problems: JSON.parse(JSON.stringify(problems)) },
    });
    if (!ok) await enqueueOutbox(tx, schoolId, { kind: "archive.check-failed", payload: { checkId: row.id } });
    return row;
  });
  return { checkId: check.id, ok, archives: archives.length, targets: targets.length, problems };
}
