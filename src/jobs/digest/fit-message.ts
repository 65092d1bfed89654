// Telegram's 4096-character limit for a digest: long items are shortened, and while the message is too long
// the largest section loses its last items, replaced by a "…and N more" line (notify:digest more-key in locales).
export const TELEGRAM_TEXT_LIMIT = 4096;
const ITEM_LIMIT = 600;

export interface MessageSection {
  title: string;
  items: string[];
}

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function fitMessage(
  head: string,
  sections: MessageSection[],
  more: (hidden: number) => string,
  limit = TELEGRAM_TEXT_LIMIT,
): string {
  const parts = sections
    .filter((s) => s.items.length > 0)
    .map((s) => ({ title: s.title, items: s.items.map((i) => shorten(i, ITEM_LIMIT)), shown: s.items.length }));
  const renderPart = (p: (typeof parts)[number]) =>
    [p.title, ...p.items.slice(0, p.shown), ...(p.shown < p.items.length ? [more(p.items.length - p.shown)] : [])].join(
      "\n",
    );
  const render = () => [head, ...parts.map(renderPart)].join("\n\n");
  let text = render();
  while (text.length > limit) {
    let victim: (typeof parts)[number] | undefined;
    let size = -1;
    for (const p of parts) {
      if (p.shown === 0) continue;
      const len = renderPart(p).length;
      if (len > size) {
        size = len;
        victim = p;
      }
    }
    if (!victim) break;
    victim.shown--;
    text = render();
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
