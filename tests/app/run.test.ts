// The composition root as an operator runs it: `serve --role all` in the sandbox (no token) and with a real bot
// token in webhook mode against the strict Bot API stand-in (Telegram's flood control enforced), each on its own database schema and Redis prefix.
import { describe, expect, it } from "vitest";
import type { Running } from "../../src/app/run.ts";
import { pollUntil, START_BUDGET_MS } from "../helpers/child-product.ts";
import { productEnv } from "../helpers/product.ts";
import { startFakeBotApi } from "../jobs/helpers/fake-bot-api.ts";

describe("serve --role all", () => {
  it(
    "with no token: the sandbox, the demo school, a person picked on the page gets the welcome; then a clean stop",
    async () => {
      const env = await productEnv();
      let running: Running | undefined;
      try {
        running = await env.start("all");
        expect(running.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox$/);
        await pollUntil(
          async () => (await fetch(`${running!.url}/readyz`)).status === 200,
          "/readyz answering 200",
          60_000,
        );
        expect(await (await fetch(running.sandboxUrl!)).text()).toContain("<html");
        const people = (await (await fetch(`${running.sandboxUrl}/people`)).json()) as {
          teachers: { personId: number; fullName: string }[];
        };
        const teacher = people.teachers[0];
        const opened = await fetch(`${running.sandboxUrl}/chats`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ personId: teacher.personId }),
        });
        expect(opened.status).toBe(200);
        const { chatId } = (await opened.json()) as { chatId: number };
        // the bot long-polls the sandbox: wait for its welcome
        const texts = await pollUntil(async () => {
          const chat = (await (await fetch(`${running!.sandboxUrl}/chats/${chatId}`)).json()) as {
            messages?: { text?: string }[];
          };
          const seen = (chat.messages ?? []).map((m) => m.text ?? "");
          return seen.some((t) => t.includes("Здравствуйте")) && seen;
        }, "the bot's welcome");
        expect(texts.join("\n")).toContain(teacher.fullName.split(" ")[1]);
      } finally {
        await running?.stop();
        await env.cleanup();
      }
      await expect(fetch(`${running!.url}/healthz`)).rejects.toThrow();
    },
    START_BUDGET_MS,
  );

  it(
    "with a token and PUBLIC_URL: registers the webhook with its secret and answers Telegram's calls",
    async () => {
      const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const api = await startFakeBotApi({
        enforce: true,
        bots: { [token]: { id: 4242, username: "school_journal_bot" } },
      });
      const env = await productEnv({
        BOT_TOKEN: token,
        TELEGRAM_API_ROOT: api.apiRoot,
        PUBLIC_URL: "https://journal.school.example",
        WEBHOOK_SECRET: "s3cret_token",
      });
      let running: Running | undefined;
      try {
        running = await env.start("web");
        // no school yet: the web role runs, without a bot
        expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
        await running.stop();

        // a school must exist for the bot: the smallest one
        await env.sql(`INSERT INTO "${env.schema}"."School" (name) VALUES ('Школа')`);
        running = await env.start("web");
        const hook = api.calls.find((c) => c.method === "setWebhook");
        expect(hook?.body).toMatchObject({ secret_token: "s3cret_token" });
        expect(String(hook?.body.url)).toMatch(/^https:\/\/journal\.school\.example\/telegram\/\d+$/);
        const botPath = new URL(String(hook?.body.url)).pathname;

        const update = {
          update_id: 1,
          message: {
            message_id: 1,
            date: 0,
            chat: { id: 777, type: "private" },
            from: { id: 777, is_bot: false, first_name: "Гость" },
            text: "/start",
          },
        };
        const wrong = await fetch(`${running.url}${botPath}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "nope" },
          body: JSON.stringify(update),
        });
        expect(wrong.status).toBe(401);
        const ok = await fetch(`${running.url}${botPath}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s3cret_token" },
          body: JSON.stringify(update),
        });
        expect(ok.status).toBe(200);
        const reply = api.calls.filter((c) => c.method === "sendMessage").at(-1);
        expect(reply?.body).toMatchObject({ chat_id: 777 });
        expect(String(reply?.body.text)).toContain("приглашение");
      } finally {
        await running?.stop();
        await env.cleanup();
        await api.close();
      }
    },
    START_BUDGET_MS,
  );
});
