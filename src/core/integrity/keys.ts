// The one place where keys are derived from APP_SECRET (HKDF-SHA-256, one key per purpose), so that a database
// dump alone is not enough to recompute the audit chain or re-sign an archive manifest. The process sets the
// secret once, where it opens the database (src/db/database.ts; tests and benches in their database helpers).
import { createHmac, hkdfSync } from "node:crypto";

export type KeyPurpose = "audit-chain" | "audit-anchor" | "archive-manifest";

const SALT = "classbook-integrity-v1";
let secret: string | undefined;
const cache = new Map<KeyPurpose, Buffer>();

export function setIntegritySecret(appSecret: string): void {
  if (appSecret !== secret) cache.clear();
  secret = appSecret;
}

export function integrityKey(purpose: KeyPurpose): Buffer {
  if (!secret) throw new Error("integrity secret not set: call setIntegritySecret(APP_SECRET) at start-up");
  let key = cache.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, SALT, purpose, 32));
    cache.set(purpose, key);
  }
  return key;
}

export function hmacHex(purpose: KeyPurpose, ...parts: (string | Buffer)[]): string {
  const h = createHmac("sha256", integrityKey(purpose));
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

/** JSON with sorted keys and no undefined members: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
