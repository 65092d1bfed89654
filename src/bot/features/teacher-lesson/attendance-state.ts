// The attendance draft lives in the roster message's own buttons: each button's callback data carries the
// whole roster's state (0 present, 1 absent «н», 2 late «оп») as a base-3 number written in 64 URL-safe
// characters, plus a fingerprint of the roster it was drawn for. Nothing is kept in process memory or in a
// table between taps, any process can take the next tap, and a stale message still describes itself.
// 24 characters hold 144 bits: up to 90 students (3^90 < 2^143).

export type Mark = 0 | 1 | 2;
export const PRESENT: Mark = 0;
export const ABSENT: Mark = 1;
export const LATE: Mark = 2;

export const MAX_ROSTER = 90;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
const MAX_CHARS = 24;

export function encodeState(marks: readonly Mark[]): string {
  if (marks.length > MAX_ROSTER) throw new RangeError("roster too large for one message");
  let n = 0n;
  for (let i = marks.length - 1; i >= 0; i--) n = n * 3n + BigInt(marks[i]);
  if (n === 0n) return "0";
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 64n)] + out;
    n /= 64n;
  }
  return out;
}

/** The marks of `size` students, or null when the text is not a state of that size. */
export function decodeState(text: string, size: number): Mark[] | null {
  if (text.length === 0 || text.length > MAX_CHARS || size > MAX_ROSTER) return null;
  let n = 0n;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    n = n * 64n + BigInt(v);
  }
  if (n >= 3n ** BigInt(size)) return null;
  const marks: Mark[] = [];
  for (let i = 0; i < size; i++) {
    marks.push(Number(n % 3n) as Mark);
    n /= 3n;
  }
  return marks;
}

export function cycle(mark: Mark): Mark {
  return ((mark + 1) % 3) as Mark;
}

/**
 * A short fingerprint of the roster (ids in journal order) and of the attendance saved when the screen was drawn:
 * a tap drawn for another roster, or a screen that another save has overtaken, is refused and redrawn.
 */
export function rosterFingerprint(studentIds: readonly number[], saved: readonly Mark[] = []): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const id of studentIds) {
    for (const byte of [id & 0xff, (id >>> 8) & 0xff, (id >>> 16) & 0xff, (id >>> 24) & 0xff, 0x2c]) mix(byte);
  }
  for (const mark of saved) mix(mark);
  return h.toString(36);
}
