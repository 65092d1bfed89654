// Compact action data `prefix:v1:v2…` within Telegram's 64 bytes: what a button press carries. Shared by the bot
// (which parses presses) and the jobs (which build buttons). Values are ids (non-negative integers) or short words;
// the parse rejects anything malformed, and the core re-checks every id it receives.

export type FieldKind = "int" | "word";
export type FieldSpec = Record<string, FieldKind>;
type Values<S extends FieldSpec> = { [K in keyof S]: S[K] extends "int" ? number : string };

export const CALLBACK_DATA_MAX_BYTES = 64;
const PREFIX = /^[a-z][a-z0-9_]{0,11}$/;
const INT = /^(0|[1-9][0-9]{0,15})$/;
const WORD = /^[A-Za-z0-9_.-]{1,24}$/;
const prefixes = new Set<string>();
const defined: { prefix: string; spec: FieldSpec }[] = [];

/** Every kind of button defined so far (for tests that press them all). */
export function definedCallbacks(): readonly { prefix: string; spec: Readonly<FieldSpec> }[] {
  return defined;
}

export interface CallbackCodec<S extends FieldSpec> {
  prefix: string;
  /** Matches this codec's data, for `composer.callbackQuery(codec.pattern, …)`. */
  pattern: RegExp;
  encode(values: Values<S>): string;
  /** The values, or null for data that is not exactly this codec's shape. */
  parse(data: string | undefined | null): Values<S> | null;
}

/**
 * Defines the callback data of one kind of button. Prefixes are unique across the bot:
 * `const attendanceTap = defineCallback("at", { lessonId: "int", studentId: "int" })`.
 */
export function defineCallback<const S extends FieldSpec>(prefix: string, spec: S): CallbackCodec<S> {
  if (!PREFIX.test(prefix)) throw new Error(`callback prefix "${prefix}" must be short lowercase`);
  if (prefixes.has(prefix)) throw new Error(`callback prefix "${prefix}" is already defined`);
  prefixes.add(prefix);
  defined.push({ prefix, spec });
  const fields = Object.keys(spec) as (keyof S & string)[];
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escaped}(:[A-Za-z0-9_.-]+){${fields.length}}$`);
  return {
    prefix,
    pattern,
    encode(values) {
      const parts = fields.map((f) => {
        const v = values[f];
        if (spec[f] === "int") {
          if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
            throw new Error(`callback field ${f} is not an id`);
          return String(v);
        }
        if (typeof v !== "string" || !WORD.test(v)) throw new Error(`callback field ${f} is not a word`);
        return v;
      });
      const data = [prefix, ...parts].join(":");
      if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_MAX_BYTES)
        throw new Error(`callback data over 64 bytes: ${prefix}`);
      return data;
    },
    parse(data) {
      if (typeof data !== "string" || Buffer.byteLength(data, "utf8") > CALLBACK_DATA_MAX_BYTES) return null;
      const parts = data.split(":");
      if (parts[0] !== prefix || parts.length !== fields.length + 1) return null;
      const out: Record<string, number | string> = {};
      for (let i = 0; i < fields.length; i++) {
        const raw = parts[i + 1];
        if (spec[fields[i]] === "int") {
          if (!INT.test(raw)) return null;
          const n = Number(raw);
          if (!Number.isSafeInteger(n)) return null;
          out[fields[i]] = n;
        } else {
          if (!WORD.test(raw)) return null;
          out[fields[i]] = raw;
        }
      }
      return out as Values<S>;
    },
  };
}
