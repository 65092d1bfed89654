// The sandbox page in a real browser (Debian's Chromium), as a newcomer uses it after `npm start`: pick the first
// demo school, then a parent and a teacher of it, chat with its bot side by side, press the reply-keyboard
// buttons; pick the second school and see only its people, and its own bot; switch the page to English. Runs
// where /usr/bin/chromium is installed (.ci/run installs it).
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Running } from "../../src/app/run.ts";
import { DEMO_SCHOOLS } from "../../src/core/demo/schools.ts";
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

  const personValues = () =>
    page.$$eval("#person option", (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));

  /** Picks the school by its name; waits until its people are listed (none of them listed before). */
  async function pickSchool(name: string): Promise<string[]> {
    const before = await personValues();
    const value = await page.locator("#school option", { hasText: name }).getAttribute("value");
    await page.selectOption("#school", value!);
    await page.waitForFunction(
      (old) =>
        [...document.querySelectorAll<HTMLOptionElement>("#person option")].some(
          (o) => o.value && !old.includes(o.value),
        ),
      before,
    );
    return personValues();
  }

  async function openChatOf(group: string, reply = true): Promise<{ name: string; chat: ReturnType<Page["locator"]> }> {
    const option = page.locator(`#person optgroup[label="${group}"] option`).first();
    const value = await option.getAttribute("value");
    const name = ((await option.textContent()) ?? "").split(" — ")[0];
    await page.selectOption("#person", value!);
    await page.click("#open");
    const chat = page.locator(`section.chat`, { hasText: name }).last();
    await chat
      .locator(reply ? ".msg.bot" : ".msg.me")
      .first()
      .waitFor({ timeout: 15_000 });
    return { name, chat };
  }

  it("a parent and a teacher of the first school chat with its bot side by side and use their menus", async () => {
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(running.sandboxUrl!);
    await page.waitForFunction(() => document.querySelectorAll("#school option").length > 2);
    const schools = await page.$$eval("#school option", (os) => os.map((o) => o.textContent));
    expect(schools.slice(1)).toEqual(DEMO_SCHOOLS.map((d) => d.name));
    // the person comes second: nobody to pick before the school
    expect(await page.locator("#person").isDisabled()).toBe(true);
    await pickSchool(DEMO_SCHOOLS[0].name);
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
    expect(await teacher.chat.locator(".bot-name").textContent()).toBe(`@${DEMO_SCHOOLS[0].botUsername}`);
    expect(pageErrors).toEqual([]);
  });

  it("the second school lists only its own people, and its chat is with its own bot", async () => {
    const first = await personValues();
    const second = await pickSchool(DEMO_SCHOOLS[1].name);
    expect(second.length).toBeGreaterThan(30);
    expect(second.filter((v) => first.includes(v))).toEqual([]);
    const groups = await page.$$eval("#person optgroup", (gs) => gs.map((g) => g.getAttribute("label")));
    expect(groups).toEqual(expect.arrayContaining([ru("sandbox:groups.teachers"), ru("sandbox:groups.parents")]));
    // the product polls every school's bot: this welcome comes from the second school's
    const teacher = await openChatOf(ru("sandbox:groups.teachers"));
    expect(await teacher.chat.locator(".bot-name").textContent()).toBe(`@${DEMO_SCHOOLS[1].botUsername}`);
    expect(await teacher.chat.locator(".msg.me").first().textContent()).toBe("/start");
    expect(await teacher.chat.locator(".msg.bot").first().textContent()).toContain(
      `Здравствуйте, ${teacher.name.split(" ").slice(1).join(" ")}!`,
    );
    await teacher.chat.locator(".reply-kb button", { hasText: ru("bot:menu.myDay") }).click();
    await teacher.chat.locator(".msg.bot").nth(1).waitFor();
    expect(await page.locator("section.chat").count()).toBe(3);
  });

  it("switches to English", async () => {
    await page.goto(`${running.sandboxUrl}?lang=en`);
    await page.waitForFunction(() => document.querySelectorAll("#school option").length > 2);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    const en = translator("en");
    expect(await page.locator("#open").textContent()).toBe(en("sandbox:open"));
    expect(await page.locator("#person option").first().textContent()).toBe(en("sandbox:chooseSchoolFirst"));
    await pickSchool(DEMO_SCHOOLS[1].name);
    expect(await page.$$eval("#person optgroup", (gs) => gs.map((g) => g.getAttribute("label")))).toContain(
      en("sandbox:groups.students"),
    );
  });
});
