// A part of a file name a person downloads: Cyrillic transliterated (7B for the class 7 with the Cyrillic letter), anything but Latin letters
// and digits turned into '-', so the name is safe in every file system and in a Content-Disposition header.
// Latin for U+0430..U+044F, by code point so that no Cyrillic sits in src/.
const LATIN = "a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" ");

export function fileNamePart(s: string, fallback = "x"): string {
  let out = "";
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const code = lower.codePointAt(0) ?? 0;
    const latin = code >= 0x430 && code <= 0x44f ? LATIN[code - 0x430] : code === 0x451 ? "e" : null;
    if (latin !== null) out += lower === ch ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
    else out += /[A-Za-z0-9]/.test(ch) ? ch : "-";
  }
  return out.replace(/-+/g, "-").replace(/^-|-$/g, "") || fallback;
}
