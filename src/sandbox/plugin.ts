// The sandbox as a Fastify plugin (register with prefix "/sandbox"):
//   /sandbox/api/bot<token>/<method>      the Bot API emulator of the bot the token names (TELEGRAM_API_ROOT)
//   /sandbox/api/file/bot<token>/<path>   file downloads, as Telegram serves them
//   /sandbox                              the chat page; /sandbox/schools, /sandbox/people, /sandbox/chats/… its API
// Every Bot row of the database is a bot here, with its own emulator and token (tokens.ts); the page picks a
// school, then one of its people, and chats with that school's bot.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from "fastify";
import { linkSandboxAccount, listSandboxPeople } from "../core/accounts/index.ts";
import { isAppError } from "../core/errors.ts";
import type { Db } from "../core/tx.ts";
import { type Language, pickLanguage, translator } from "../i18n.ts";
import { SandboxBots } from "./bots.ts";
import { type MultipartBody, parseMultipart } from "./multipart.ts";
import { renderSandboxPage } from "./page.ts";
import { type ChatState, normaliseParams, type TelegramEmulator } from "./telegram-emulator.ts";

export interface SandboxPluginOptions {
  prisma: Db;
  /** Share the bots' emulators with the caller (e.g. to inspect them); created otherwise. */
  bots?: SandboxBots;
  defaultLocale?: Language;
}

/** Fake Telegram user ids of people picked on the page. */
export const sandboxUserIdOf = (personId: number) => 800_000_000 + personId;

const PAGE_POLL_MS = 25_000;
const UNAUTHORIZED = { ok: false, error_code: 401, description: "Unauthorized" } as const;

function chatView(chat: ChatState, botId: number) {
  return {
    chatId: chat.chat.id,
    rev: chat.rev,
    replyKeyboard: chat.replyKeyboard?.map((row) => row.map((b) => b.text)) ?? null,
    notices: chat.callbackAnswers.slice(-5).map((a) => ({ text: a.text, alert: a.showAlert })),
    messages: chat.messages.map((m) => ({
      id: m.message_id,
      fromBot: m.from.id === botId,
      text: m.text ?? m.caption ?? "",
      edited: m.edit_date !== undefined,
      date: m.date,
      document: m.document ? { fileId: m.document.file_id, name: m.document.file_name ?? "file" } : undefined,
      photo: m.photo ? { fileId: m.photo[m.photo.length - 1].file_id } : undefined,
      buttons:
        m.reply_markup?.inline_keyboard.map((row) =>
          row.map((b) => ({ text: b.text, data: b.callback_data ?? null, url: b.url ?? null })),
        ) ?? [],
    })),
  };
}

async function addParsers(app: FastifyInstance) {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, body ? JSON.parse(body as string) : {});
    } catch {
      done(Object.assign(new Error("Bad Request: can't parse JSON"), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser(
    "multipart/form-data",
    { parseAs: "buffer", bodyLimit: 50 * 1024 * 1024 },
    (req, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, req.headers["content-type"] ?? ""));
      } catch (err) {
        done(Object.assign(err as Error, { statusCode: 400 }), undefined);
      }
    },
  );
}

function isMultipart(body: unknown): body is MultipartBody {
  return typeof body === "object" && body !== null && "files" in body && (body as MultipartBody).files instanceof Map;
}

async function reachable(prisma: Db): Promise<boolean> {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

const UNAVAILABLE = Symbol("database unavailable");

/** A lost connection is not an empty database: the page says "unavailable, retrying", not "no school". */
async function readOrUnavailable<T>(prisma: Db, read: () => Promise<T>): Promise<T | typeof UNAVAILABLE> {
  try {
    return await read();
  } catch (err) {
    if (!isAppError(err) && !(await reachable(prisma))) return UNAVAILABLE;
    throw err;
  }
}

const positiveInt = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

export const sandboxPlugin: FastifyPluginAsync<SandboxPluginOptions> = async (app, opts) => {
  const { prisma } = opts;
  const bots = opts.bots ?? new SandboxBots(prisma);
  const defaultLocale = opts.defaultLocale ?? "ru";
  /** The bot a chat of the page was last opened with, for callers that name the chat only. */
  const botOfChat = new Map<number, number>();

  await addParsers(app);
  app.addHook("preClose", async () => bots.close());

  // ---- Bot API -------------------------------------------------------------------------------------
  const botApi = async (req: { params: unknown; body: unknown; query: unknown }, reply: FastifyReply) => {
    const { token, method } = req.params as { token: string; method: string };
    const emulator = await bots.forToken(token);
    if (!emulator) return reply.code(401).send(UNAUTHORIZED);
    let fields: Record<string, unknown> = { ...((req.query as Record<string, unknown>) ?? {}) };
    let files: MultipartBody["files"] | undefined;
    if (isMultipart(req.body)) {
      fields = { ...fields, ...req.body.fields };
      files = req.body.files;
    } else if (req.body && typeof req.body === "object") {
      fields = { ...fields, ...(req.body as Record<string, unknown>) };
    }
    const result = await emulator.call(method, normaliseParams(fields), files);
    return reply.code(result.ok ? 200 : result.error_code).send(result);
  };
  app.get("/api/bot:token/:method", botApi);
  app.post("/api/bot:token/:method", botApi);

  app.get("/api/file/bot:token/*", async (req, reply) => {
    const emulator = await bots.forToken((req.params as { token: string }).token);
    if (!emulator) return reply.code(401).send(UNAUTHORIZED);
    const file = emulator.fileByPath((req.params as { "*": string })["*"]);
    if (!file) return reply.code(404).send({ ok: false, error_code: 404, description: "Not Found" });
    return reply.type(file.contentType).send(file.bytes);
  });

  // ---- The page and its JSON API -------------------------------------------------------------------
  app.get("/", async (req, reply) => {
    const lng = pickLanguage((req.query as { lang?: string }).lang, defaultLocale);
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(renderSandboxPage(lng));
  });

  /** Every school with its bots, in the order they were created. */
  app.get("/schools", async (_req, reply) => {
    const schools = await readOrUnavailable(prisma, () =>
      prisma.school
        .findMany({
          orderBy: { id: "asc" },
          select: {
            id: true,
            name: true,
            timezone: true,
            bots: { orderBy: { id: "asc" }, select: { id: true, username: true } },
          },
        })
        .then((schools) =>
          schools.map((s) => ({
            schoolId: s.id,
            name: s.name,
            timezone: s.timezone,
            bots: s.bots.map((b) => ({ botId: b.id, username: b.username })),
          })),
        ),
    );
    return schools === UNAVAILABLE ? reply.code(503).send({ error: "DATABASE_UNAVAILABLE" }) : schools;
  });

  /** The people of ?school=<id> (default: the first school), by group. */
  app.get("/people", async (req, reply) => {
    const query = req.query as { lang?: string; school?: string };
    const asked = query.school === undefined ? undefined : positiveInt(query.school);
    if (query.school !== undefined && asked === undefined) return reply.code(400).send({ error: "VALIDATION" });
    const people = await readOrUnavailable(prisma, async () => {
      const school = await prisma.school.findFirst({
        where: asked === undefined ? {} : { id: asked },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      return school ? listSandboxPeople(prisma, school.id) : null;
    });
    if (people === UNAVAILABLE) return reply.code(503).send({ error: "DATABASE_UNAVAILABLE" });
    if (people === null) return reply.code(404).send({ error: "NO_SCHOOL" });
    // staff role codes read as words in the page's language; class names stay as they are
    const tr = translator(pickLanguage(query.lang, defaultLocale));
    const label = (d: string) => (/^[A-Z_]+$/.test(d) ? tr(`common:roles.${d}`) : d);
    for (const group of Object.values(people)) for (const p of group) p.detail = p.detail.map(label);
    return people;
  });

  /**
   * Opens the chat of a person with a bot of the person's school: { personId, botId?, lang? }. Without botId,
   * the school's first bot. A bot of another school is refused as if the person did not exist.
   */
  app.post("/chats", async (req, reply) => {
    const body = (req.body ?? {}) as { personId?: unknown; botId?: unknown; lang?: unknown };
    const personId = positiveInt(body.personId);
    const askedBot = body.botId === undefined ? undefined : positiveInt(body.botId);
    if (personId === undefined || (body.botId !== undefined && askedBot === undefined))
      return reply.code(400).send({ error: "VALIDATION" });
    const person = await prisma.person.findUnique({
      where: { id: personId },
      select: { id: true, schoolId: true, firstName: true, lastName: true },
    });
    if (!person) return reply.code(404).send({ error: "NOT_FOUND" });
    const bot = await prisma.bot.findFirst({
      where: { schoolId: person.schoolId, ...(askedBot === undefined ? {} : { id: askedBot }) },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    if (!bot) return reply.code(404).send({ error: askedBot === undefined ? "NO_BOT" : "NOT_FOUND" });
    const emulator = await bots.forBot(bot.id);
    if (!emulator) return reply.code(404).send({ error: "NOT_FOUND" });
    const lng = pickLanguage(typeof body.lang === "string" ? body.lang : undefined, defaultLocale);
    const id = sandboxUserIdOf(personId);
    await linkSandboxAccount(prisma, { botId: bot.id, personId, telegramUserId: id, chatId: id, languageCode: lng });
    const chat = emulator.openChat({
      id,
      first_name: person.firstName,
      last_name: person.lastName,
      language_code: lng,
    });
    chat.user.language_code = lng;
    botOfChat.set(id, bot.id);
    emulator.userText(id, "/start");
    return { chatId: id, botId: bot.id, personId };
  });

  /** The chat of /chats/:chatId?bot=<botId>; without ?bot, with the bot it was last opened with. */
  const chatOf = (req: { params: unknown; query: unknown }): { emulator: TelegramEmulator; chat: ChatState } | null => {
    const chatId = Number((req.params as { chatId: string }).chatId);
    const asked = (req.query as { bot?: string }).bot;
    const botId = asked === undefined ? botOfChat.get(chatId) : positiveInt(asked);
    const emulator = botId === undefined ? undefined : bots.get(botId);
    const chat = emulator?.chats.get(chatId);
    return emulator && chat ? { emulator, chat } : null;
  };

  app.get("/chats/:chatId", async (req, reply) => {
    const found = chatOf(req);
    if (!found) return reply.code(404).send({ error: "NOT_FOUND" });
    const { emulator, chat } = found;
    const rev = Number((req.query as { rev?: string }).rev ?? Number.NaN);
    if (Number.isFinite(rev)) await emulator.waitForChange(chat.chat.id, rev, PAGE_POLL_MS);
    return chatView(chat, emulator.bot.id);
  });

  app.post("/chats/:chatId/messages", async (req, reply) => {
    const found = chatOf(req);
    const text = String((req.body as { text?: unknown } | undefined)?.text ?? "").trim();
    if (!found) return reply.code(404).send({ error: "NOT_FOUND" });
    if (!text || text.length > 4096) return reply.code(400).send({ error: "VALIDATION" });
    found.emulator.userText(found.chat.chat.id, text);
    return { ok: true };
  });

  app.post("/chats/:chatId/press", async (req, reply) => {
    const found = chatOf(req);
    const body = (req.body ?? {}) as { messageId?: unknown; data?: unknown };
    if (!found) return reply.code(404).send({ error: "NOT_FOUND" });
    try {
      found.emulator.userPress(found.chat.chat.id, Number(body.messageId), String(body.data ?? ""));
    } catch {
      return reply.code(400).send({ error: "VALIDATION" });
    }
    return { ok: true };
  });

  app.post("/chats/:chatId/documents", async (req, reply) => {
    const found = chatOf(req);
    if (!found) return reply.code(404).send({ error: "NOT_FOUND" });
    if (!isMultipart(req.body)) return reply.code(400).send({ error: "VALIDATION" });
    const file = req.body.files.values().next().value;
    if (!file || file.bytes.length === 0) return reply.code(400).send({ error: "VALIDATION" });
    found.emulator.userDocument(found.chat.chat.id, {
      bytes: file.bytes,
      filename: file.filename.replace(/[;\r\n]/g, "_"),
      contentType: file.contentType,
      caption: req.body.fields.caption || undefined,
    });
    return { ok: true };
  });

  /** A file of a chat, ?bot=<botId>; without it, of whichever bot holds that (random, unguessable) file id. */
  app.get("/files/:fileId", async (req, reply) => {
    const fileId = (req.params as { fileId: string }).fileId;
    const asked = (req.query as { bot?: string }).bot;
    const holders = asked === undefined ? bots.all() : [bots.get(positiveInt(asked) ?? 0)];
    const file = holders.map((e) => e?.files.get(fileId)).find((f) => f !== undefined);
    if (!file) return reply.code(404).send({ error: "NOT_FOUND" });
    return reply
      .type(file.contentType)
      .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(file.bytes);
  });

  app.setErrorHandler(async (err, req, reply) => {
    if (isAppError(err)) return reply.code(err.code === "NOT_FOUND" ? 404 : 400).send({ error: err.code });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, "sandbox request failed");
      return reply.code(500).send({ error: "INTERNAL" });
    }
    return reply.code(status).send({ ok: false, error_code: status, description: (err as Error).message });
  });
};
