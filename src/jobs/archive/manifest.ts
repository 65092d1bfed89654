// The manifest of an archive: what it holds (SHA-256 and size of every file, how long each is kept), the audit
// chain's head when it was made, and an HMAC over all of it with a key derived from APP_SECRET, so that a file
// swapped together with a recomputed checksum is still noticed.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ArchiveScope } from "../../core/archive/journal-export.ts";
import type { AuditAnchor } from "../../core/audit.ts";
import { canonicalJson, hmacHex } from "../../core/integrity/keys.ts";
import type { Retention } from "./producers/index.ts";

export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_FORMAT = "classbook-archive/1";

export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
  retention: Retention;
  keepUntil: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  school: { id: number; name: string };
  scope: ArchiveScope;
  createdAt: string;
  auditHead: AuditAnchor | null;
  files: ManifestFile[];
}

export interface SignedManifest extends Manifest {
  hmac: string;
}

export const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

export function signManifest(m: Manifest): Buffer {
  const signed: SignedManifest = { ...m, hmac: hmacHex("archive-manifest", canonicalJson(m)) };
  return Buffer.from(`${JSON.stringify(signed, null, 1)}\n`);
}

/** The manifest, when its bytes parse and its HMAC holds; null otherwise. */
export function readSignedManifest(bytes: Buffer): Manifest | null {
  let parsed: SignedManifest;
  try {
    parsed = JSON.parse(bytes.toString("utf8")) as SignedManifest;
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object" || parsed.format !== MANIFEST_FORMAT) return null;
  const { hmac, ...manifest } = parsed;
  const expected = Buffer.from(hmacHex("archive-manifest", canonicalJson(manifest)));
  const given = Buffer.from(String(hmac ?? ""));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return manifest as Manifest;
}
