// Renders an outgoing message in the recipient's language at send time (locales/*/notify.json and others).
// A parameter of the form { $t, defaultValue } is translated first (e.g. a work type code → its name).
import { type Language, translator } from "../../i18n.ts";
import type { MessageRender } from "../outbox/handler.ts";

export function renderText(render: MessageRender, lng: Language): string {
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
