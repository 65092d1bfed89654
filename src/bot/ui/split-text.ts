// Telegram's 4096-character limit for one message, and the split of longer texts at paragraph or line breaks.

export const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits a text into messages below `limit`, at paragraph or line breaks where possible. */
export function splitText(text: string, limit = 4000): string[] {
  if (text.length <= limit) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n\n", limit);
    if (cut < limit / 2) cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = limit;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n+/, "");
  }
  if (rest.length > 0) out.push(rest);
  return out;
}
