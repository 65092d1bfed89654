// i18next over locales/<lng>/<namespace>.json. Russian is primary; English is complete.
// Keys are addressed as "namespace:key" (e.g. t("errors:FORBIDDEN")) or with the default namespace "common".
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import i18next, { type i18n, type Resource, type TFunction } from "i18next";

export const LANGUAGES = ["ru", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const localesDir = path.resolve(import.meta.dirname, "..", "locales");

function loadResources(): Resource {
  const resources: Resource = {};
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    for (const file of readdirSync(path.join(localesDir, lng))) {
      if (!file.endsWith(".json")) continue;
      resources[lng][file.slice(0, -5)] = JSON.parse(readFileSync(path.join(localesDir, lng, file), "utf8"));
    }
  }
  return resources;
}

let instance: i18n | undefined;

export function getI18n(): i18n {
  if (!instance) {
    const resources = loadResources();
    instance = i18next.createInstance();
    void instance.init({
      initAsync: false,
      resources,
      lng: "ru",
      fallbackLng: "ru",
      supportedLngs: [...LANGUAGES],
      ns: Object.keys(resources.ru),
      defaultNS: "common",
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  return instance;
}

export function pickLanguage(code: string | undefined | null, fallback: Language = "ru"): Language {
  const short = (code ?? "").slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(short) ? (short as Language) : fallback;
}

export function translator(lng: Language): TFunction {
  return getI18n().getFixedT(lng);
}
