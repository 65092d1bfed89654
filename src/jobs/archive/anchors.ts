// Daily anchor files: the audit chain's head, signed, written to every archive target
// (anchors/school-<id>/<YYYY-MM-DD>.json, one file a day holding that day's heads). audit-verify compares the
// chain with the newest of them, which catches deleting the newest events and a chain recomputed after a change.
import { type AuditAnchor, auditHead, newestAnchor, signAnchor } from "../../core/audit.ts";
import type { DbOrTx } from "../../core/tx.ts";
import type { ArchiveTarget } from "./targets.ts";

const dirOf = (schoolId: number) => `anchors/school-${schoolId}`;

function parse(bytes: Buffer | null): AuditAnchor[] {
  if (!bytes) return [];
  try {
    const json = JSON.parse(bytes.toString("utf8")) as { anchors?: AuditAnchor[] };
    return Array.isArray(json.anchors) ? json.anchors : [];
  } catch {
    return [];
  }
}

/** Adds an anchor to today's file on every target (skipped where the head is already there). */
export async function writeAnchor(targets: ArchiveTarget[], anchor: AuditAnchor): Promise<void> {
  const file = `${dirOf(anchor.schoolId)}/${anchor.at.slice(0, 10)}.json`;
  for (const t of targets) {
    const anchors = parse(await t.readFile(file));
    if (anchors.some((a) => a.lastId === anchor.lastId && a.hash === anchor.hash)) continue;
    anchors.push(anchor);
    await t.writeFile(file, Buffer.from(`${JSON.stringify({ anchors }, null, 1)}\n`));
  }
}

/** Takes the school's current head and anchors it; null when the chain is empty. */
export async function anchorAuditHead(
  db: DbOrTx,
  targets: ArchiveTarget[],
  schoolId: number,
  now = new Date(),
): Promise<AuditAnchor | null> {
  const head = await auditHead(db, schoolId);
  if (!head) return null;
  const anchor = signAnchor(head, now);
  await writeAnchor(targets, anchor);
  return anchor;
}

/** The newest anchor of a school on any target (the last two daily files of each are enough). */
export async function readNewestAnchor(targets: ArchiveTarget[], schoolId: number): Promise<AuditAnchor | undefined> {
  const found: AuditAnchor[] = [];
  for (const t of targets) {
    const files = (await t.list(dirOf(schoolId))).filter((n) => n.endsWith(".json")).slice(-2);
    for (const f of files) found.push(...parse(await t.readFile(`${dirOf(schoolId)}/${f}`)));
  }
  return newestAnchor(found, schoolId);
}
