// Callback data of the "Acknowledged" button under a digest: "dg:<d|w>:<studentId>:<yyyymmdd>". The jobs layer
// builds the button when it renders a digest; the bot parses the press. The core re-checks every id.
import { defineCallback } from "./codec.ts";

export const digestAckCallback = defineCallback("dg", { kind: "word", studentId: "int", date: "int" });

export type DigestAckKind = "daily" | "weekly";

export function encodeDigestAck(kind: DigestAckKind, studentId: number, isoDate: string): string {
  return digestAckCallback.encode({
    kind: kind === "daily" ? "d" : "w",
    studentId,
    date: Number(isoDate.replace(/-/g, "")),
  });
}

/** The press, or null when the data is not a well-formed digest button. */
export function decodeDigestAck(
  data: string | undefined,
): { kind: DigestAckKind; studentId: number; date: string } | null {
  const v = digestAckCallback.parse(data);
  if (!v || (v.kind !== "d" && v.kind !== "w")) return null;
  const s = String(v.date);
  if (!/^\d{8}$/.test(s)) return null;
  return {
    kind: v.kind === "d" ? "daily" : "weekly",
    studentId: v.studentId,
    date: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`,
  };
}

/** The inline keyboard under a digest: one button, "Acknowledged" or, once pressed, "✓ Acknowledged". */
export function digestAckKeyboard(text: string, data: string) {
  return { inline_keyboard: [[{ text, callback_data: data }]] };
}
