// The sandbox page in a real browser (Debian's Chromium), as a newcomer uses it after `npm start`: pick a parent
// and a teacher of the demo school, chat with the bot side by side, press the reply-keyboard buttons, switch the
// page to English. Runs where /usr/bin/chromium is installed (.ci/run installs it).
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Running } from "../../src/app/run.ts";
import { translator } from "../../src/i18n.ts";
import { START_BUDGET_MS } from "../helpers/child-product.ts";
import { type ProductEnv, productEnv } from "../helpers/product.ts";

const CHROMIUM = "/usr/bin/chromium";
const ru = translator("ru");

describe.skipIf(!existsSync(CHROMIUM))("the sandbox page in Chromium", () => {
  let env: ProductEnv;
  let running: Running;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    env = await productEnv();
    running = await env.start("all");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, START_BUDGET_MS);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await env?.cleanup();
  });

  async function openChatOf(group: string): Promise<{ name: string; chat: ReturnType<Page["locator"]> }> {
    const option = page.locator(`#person optgroup[label="${group}"] option`).first();
    const value = await option.getAttribute("value");
    const name = ((await option.textContent()) ?? "").split(" — ")[0];
    await page.selectOption("#person", value!);
    await page.click("#open");
    const chat = page.locator(`section.chat`, { hasText: name }).last();
    await chat.locator(".msg.bot").first().waitFor({ timeout: 15_000 });
    return { name, chat };
  }

  it("a parent and a teacher chat with the bot side by side and use their menus", async () => {
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(running.sandboxUrl!);
    await page.waitForFunction(() => document.querySelectorAll("#person option").length > 1);
    const groups = await page.$$eval("#person optgroup", (gs) => gs.map((g) => g.getAttribute("label")));
    expect(groups).toEqual(
      expect.arrayContaining([
        ru("sandbox:groups.teachers"),
        ru("sandbox:groups.parents"),
        ru("sandbox:groups.students"),
      ]),
    );

    const parent = await openChatOf(ru("sandbox:groups.parents"));
    expect(await parent.chat.locator(".msg.bot").first().textContent()).toContain("Здравствуйте");
    await parent.chat.locator(".reply-kb button", { hasText: ru("bot:menu.marks") }).click();
    await parent.chat.locator(".msg.bot").nth(1).waitFor();
    expect(await parent.chat.locator(".msg.bot").nth(1).textContent()).toMatch(/Оценки|оценок/);

    const teacher = await openChatOf(ru("sandbox:groups.teachers"));
    await teacher.chat.locator(".reply-kb button", { hasText: ru("bot:menu.myDay") }).click();
    await teacher.chat.locator(".msg.bot").nth(1).waitFor();
    expect(await teacher.chat.locator(".msg.bot").nth(1).textContent()).toMatch(/урок/i);
    expect(await page.locator("section.chat").count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  it("switches to English", async () => {
    await page.goto(`${running.sandboxUrl}?lang=en`);
    await page.waitForFunction(() => document.querySelectorAll("#person option").length > 1);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("#open").textContent()).toBe(translator("en")("sandbox:open"));
  });
});
