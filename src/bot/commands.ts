// The command menu Telegram shows, per language. Descriptions live in locales/<lng>/bot.json under commands.
import type { Api } from "grammy";
import { LANGUAGES, type Language, translator } from "../i18n.ts";

/** In menu order. A feature that adds a command adds its name here and its text under bot:commands. */
export const BOT_COMMANDS = [
  "start",
  "help",
  "today",
  "class",
  "lessons",
  "substitute",
  "notice",
  "students",
  "holidays",
  "news",
  "reports",
  "settings",
  "terms",
  "periods",
  "school_settings",
] as const;

export function commandList(lng: Language, names: readonly string[] = BOT_COMMANDS) {
  const t = translator(lng);
  return names.map((command) => ({ command, description: t(`bot:commands.${command}`) }));
}

/** Publishes the menu for every language, and the default language's menu for everyone else. */
export async function publishCommands(api: Api, defaultLocale: Language, names: readonly string[] = BOT_COMMANDS) {
  for (const lng of LANGUAGES) await api.setMyCommands(commandList(lng, names), { language_code: lng });
  await api.setMyCommands(commandList(defaultLocale, names));
}
