// The sandbox as a Fastify plugin (register with prefix "/sandbox"):
//   /sandbox/api/bot<token>/<method>      the Bot API emulator the bot talks to (TELEGRAM_API_ROOT)
//   /sandbox/api/file/bot<token>/<path>   file downloads, as Telegram serves them
//   /sandbox                              the chat page; /sandbox/people, /sandbox/chats/… its JSON API
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from "fastify";
import { ensureBot, linkSandboxAccount, listSandboxPeople } from "../core/accounts/index.ts";
import { isAppError } from "../core/errors.ts";
import type { Db } from "../core/tx.ts";
import { type Language, pickLanguage, translator } from "../i18n.ts";
import { type MultipartBody, parseMultipart } from "./multipart.ts";
import { renderSandboxPage } from "./page.ts";
import { type ChatState, normaliseParams, TelegramEmulator } from "./telegram-emulator.ts";

export interface SandboxPluginOptions {
  prisma: Db;
  /** Share one emulator with the caller (e.g. to inspect it); one is created otherwise. */
  emulator?: TelegramEmulator;
  /** The school whose people the page offers; default: the first school. */
  schoolId?: number;
  /** The Bot row the sandbox links accounts on; default: ensureBot(school, emulator's username). */
  botId?: number;
  defaultLocale?: Language;
}

/** Any token of Telegram's shape works with the emulator; this is the one the sandbox bot uses. */
export const SANDBOX_BOT_TOKEN = "1000001:SANDBOX_classbook_local_token";

/** Fake Telegram user ids of people picked on the page. */
export const sandboxUserIdOf = (personId: number) => 800_000_000 + personId;

const PAGE_POLL_MS = 25_000;

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

export const sandboxPlugin: FastifyPluginAsync<SandboxPluginOptions> = async (app, opts) => {
  const emulator = opts.emulator ?? new TelegramEmulator();
  const defaultLocale = opts.defaultLocale ?? "ru";
  let target: { schoolId: number; botId: number } | undefined;

  async function resolveTarget(): Promise<{ schoolId: number; botId: number } | null> {
    if (target) return target;
    const schoolId =
      opts.schoolId ?? (await opts.prisma.school.findFirst({ orderBy: { id: "asc" }, select: { id: true } }))?.id;
    if (schoolId === undefined) return null;
    const botId = opts.botId ?? (await ensureBot(opts.prisma, { schoolId, username: emulator.bot.username! }));
    target = { schoolId, botId };
    return target;
  }

  await addParsers(app);
  app.addHook("preClose", async () => emulator.close());

  // ---- Bot API -------------------------------------------------------------------------------------
  const botApi = async (req: { params: unknown; body: unknown; query: unknown }, reply: FastifyReply) => {
    const { method } = req.params as { token: string; method: string };
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
    const filePath = (req.params as { "*": string })["*"];
    const file = emulator.fileByPath(filePath);
    if (!file) return reply.code(404).send({ ok: false, error_code: 404, description: "Not Found" });
    return reply.type(file.contentType).send(file.bytes);
  });

  // ---- The page and its JSON API -------------------------------------------------------------------
  app.get("/", async (req, reply) => {
    const lng = pickLanguage((req.query as { lang?: string }).lang, defaultLocale);
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(renderSandboxPage(lng));
  });

  app.get("/people", async (req, reply) => {
    let t: Awaited<ReturnType<typeof resolveTarget>>;
    let people: Awaited<ReturnType<typeof listSandboxPeople>>;
    try {
      t = await resolveTarget();
      if (!t) return reply.code(404).send({ error: "NO_SCHOOL" });
      people = await listSandboxPeople(opts.prisma, t.schoolId);
    } catch (err) {
      // a lost connection is not an empty database: the page says "unavailable, retrying", not "no school"
      if (!isAppError(err) && !(await reachable(opts.prisma))) {
        return reply.code(503).send({ error: "DATABASE_UNAVAILABLE" });
      }
      throw err;
    }
    // staff role codes read as words in the page's language; class names stay as they are
    const tr = translator(pickLanguage((req.query as { lang?: string }).lang, defaultLocale));
    const label = (d: string) => (/^[A-Z_]+$/.test(d) ? tr(`common:roles.${d}`) : d);
    for (const group of Object.values(people)) for (const p of group) p.detail = p.detail.map(label);
    return people;
  });

  app.post("/chats", async (req, reply) => {
    const body = (req.body ?? {}) as { personId?: unknown; lang?: unknown };
    const personId = Number(body.personId);
    if (!Number.isSafeInteger(personId) || personId <= 0) return reply.code(400).send({ error: "VALIDATION" });
    const t = await resolveTarget();
    if (!t) return reply.code(404).send({ error: "NO_SCHOOL" });
    const person = await opts.prisma.person.findFirst({
      where: { id: personId, schoolId: t.schoolId },
      select: { id: true, firstName: true, lastName: true },
    });
    if (!person) return reply.code(404).send({ error: "NOT_FOUND" });
    const lng = pickLanguage(typeof body.lang === "string" ? body.lang : undefined, defaultLocale);
    const id = sandboxUserIdOf(personId);
    await linkSandboxAccount(opts.prisma, {
      botId: t.botId,
      personId,
      telegramUserId: id,
      chatId: id,
      languageCode: lng,
    });
    const chat = emulator.openChat({
      id,
      first_name: person.firstName,
      last_name: person.lastName,
      language_code: lng,
    });
    chat.user.language_code = lng;
    emulator.userText(id, "/start");
    return { chatId: id, personId };
  });

  const chatOf = (params: unknown) => emulator.chats.get(Number((params as { chatId: string }).chatId));

  app.get("/chats/:chatId", async (req, reply) => {
    const chat = chatOf(req.params);
    if (!chat) return reply.code(404).send({ error: "NOT_FOUND" });
    const rev = Number((req.query as { rev?: string }).rev ?? Number.NaN);
    if (Number.isFinite(rev)) await emulator.waitForChange(chat.chat.id, rev, PAGE_POLL_MS);
    return chatView(chat, emulator.bot.id);
  });

  app.post("/chats/:chatId/messages", async (req, reply) => {
    const chat = chatOf(req.params);
    const text = String((req.body as { text?: unknown } | undefined)?.text ?? "").trim();
    if (!chat) return reply.code(404).send({ error: "NOT_FOUND" });
    if (!text || text.length > 4096) return reply.code(400).send({ error: "VALIDATION" });
    emulator.userText(chat.chat.id, text);
    return { ok: true };
  });

  app.post("/chats/:chatId/press", async (req, reply) => {
    const chat = chatOf(req.params);
    const body = (req.body ?? {}) as { messageId?: unknown; data?: unknown };
    if (!chat) return reply.code(404).send({ error: "NOT_FOUND" });
    try {
      emulator.userPress(chat.chat.id, Number(body.messageId), String(body.data ?? ""));
    } catch {
      return reply.code(400).send({ error: "VALIDATION" });
    }
    return { ok: true };
  });

  app.post("/chats/:chatId/documents", async (req, reply) => {
    const chat = chatOf(req.params);
    if (!chat) return reply.code(404).send({ error: "NOT_FOUND" });
    if (!isMultipart(req.body)) return reply.code(400).send({ error: "VALIDATION" });
    const file = req.body.files.values().next().value;
    if (!file || file.bytes.length === 0) return reply.code(400).send({ error: "VALIDATION" });
    emulator.userDocument(chat.chat.id, {
      bytes: file.bytes,
      filename: file.filename.replace(/[;\r\n]/g, "_"),
      contentType: file.contentType,
      caption: req.body.fields.caption || undefined,
    });
    return { ok: true };
  });

  app.get("/files/:fileId", async (req, reply) => {
    const file = emulator.files.get((req.params as { fileId: string }).fileId);
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
