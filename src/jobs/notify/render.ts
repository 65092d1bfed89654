// Builds a message in its reader's language when it is dispatched (locales/*/notify.json and others). A parameter
// of the form { $t, defaultValue } is translated first (e.g. a work type code → its name).
import { type Language, translator } from "../../i18n.ts";
import type { BuiltButton, BuiltMessage, MessageButton, MessageText } from "../../messenger/message.ts";

export function renderText(render: MessageText | string, lng: Language): string {
  if (typeof render === "string") return render;
  if ("text" in render) return render.text;
  const t = translator(lng);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(render.params)) {
    params[k] =
      v && typeof v === "object" && "$t" in v
        ? t(String((v as { $t: string }).$t), { defaultValue: (v as { defaultValue?: string }).defaultValue })
        : v;
  }
  return t(render.key, params);
}

export function buildMessage(render: MessageText, buttons: MessageButton[][] | undefined, lng: Language): BuiltMessage {
  const built: BuiltMessage = { text: renderText(render, lng) };
  if (buttons?.length) {
    built.buttons = buttons.map((row) =>
      row.map((b): BuiltButton => {
        const text = renderText(b.text, lng);
        return "action" in b ? { text, action: b.action } : { text, url: b.url };
      }),
    );
  }
  return built;
}
