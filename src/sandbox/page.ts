// The sandbox chat page: plain HTML and JS, no build step. Every string comes from locales/<lng>/sandbox.json,
// embedded as JSON; the script builds the DOM with textContent only.
import { type Language, translator } from "../i18n.ts";

const KEYS = [
  "title",
  "intro",
  "pickSchool",
  "pickPerson",
  "chooseSchoolFirst",
  "noBot",
  "choose",
  "open",
  "send",
  "placeholder",
  "attach",
  "close",
  "download",
  "edited",
  "you",
  "bot",
  "noSchool",
  "dbUnavailable",
  "noChats",
  "error",
  "language",
  "photo",
  "groups.administration",
  "groups.teachers",
  "groups.classTeachers",
  "groups.parents",
  "groups.students",
] as const;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sandboxStrings(lng: Language): Record<string, string> {
  const t = translator(lng);
  return Object.fromEntries(KEYS.map((k) => [k, t(`sandbox:${k}`)]));
}

const STYLE = `
*{box-sizing:border-box}body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#e7ebf0;color:#111}
header{background:#2a6ebb;color:#fff;padding:10px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header a{color:#fff}header select,header button{font:inherit;padding:4px 8px}
.intro{padding:8px 16px;color:#333}#chats{display:flex;gap:12px;padding:12px;overflow-x:auto;align-items:flex-start}
.chat{flex:0 0 380px;background:#fff;border-radius:8px;display:flex;flex-direction:column;height:calc(100vh - 140px);box-shadow:0 1px 3px #0003}
.chat-head{padding:8px 10px;border-bottom:1px solid #ddd;display:flex;justify-content:space-between;gap:8px;font-weight:600}
.chat-head .bot-name{display:block;font-weight:400;color:#666}header select{max-width:28em}
.msgs{flex:1;overflow-y:auto;padding:8px;display:flex;flex-direction:column;gap:6px;background:#f4f6f8}
.msg{max-width:85%;padding:6px 9px;border-radius:8px;white-space:pre-wrap;word-wrap:break-word}
.msg.bot{background:#fff;align-self:flex-start;border:1px solid #ddd}.msg.me{background:#d9f2c6;align-self:flex-end}
.msg small{color:#888;margin-left:6px}.kb{display:flex;flex-direction:column;gap:3px;margin-top:5px}
.kb-row{display:flex;gap:3px}.kb-row button{flex:1;font:inherit;padding:5px;border:1px solid #9bb9e0;background:#eef4fc;border-radius:5px;cursor:pointer}
.reply-kb{padding:6px;border-top:1px solid #ddd;display:flex;flex-direction:column;gap:3px;background:#f0f0f0}
.reply-kb button{background:#fff;border-color:#ccc}.notice{padding:4px 10px;background:#fff7d6;font-size:13px}
form.input{display:flex;gap:4px;padding:6px;border-top:1px solid #ddd}form.input input[type=text]{flex:1;font:inherit;padding:6px}
form.input button,form.input label{font:inherit;padding:6px 8px;cursor:pointer}.file{display:none}
.empty{padding:24px;color:#666}.err{color:#b00;padding:4px 16px}`;

const SCRIPT = `
const S = JSON.parse(document.getElementById("strings").textContent);
const LANG = document.documentElement.lang;
const base = location.pathname.replace(/\\/$/, "");
const el = (tag, attrs = {}, ...kids) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) { if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); } for (const k of kids) e.append(k); return e; };
const errBox = document.getElementById("error");
const showError = (m) => { errBox.textContent = S.error.replace("{{message}}", m); };
async function api(path, opts = {}) { const r = await fetch(base + path, opts); if (!r.ok) throw Object.assign(new Error(r.status + " " + (await r.text())), { status: r.status }); return r.json(); }
const post = (path, body) => api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const open = new Map();

const schoolSel = document.getElementById("school");
const personSel = document.getElementById("person");
const placeholder = (text) => el("option", { value: "" }, text);
let peopleRequest = 0;

// One option per bot of a school (a school with several bots shows each); a school without a bot cannot be picked.
async function loadSchools() {
  try {
    const schools = await api("/schools");
    errBox.textContent = "";
    if (!schools.length) { showError(S.noSchool); return; }
    const options = schools.flatMap((s) => s.bots.length
      ? s.bots.map((b) => el("option", { value: b.botId, "data-school": s.schoolId, "data-bot-name": "@" + b.username },
          s.name + (s.bots.length > 1 ? " — @" + b.username : "")))
      : [el("option", { value: "", disabled: "" }, s.name + " — " + S.noBot)]);
    schoolSel.replaceChildren(placeholder(S.choose), ...options);
    // a single bot needs no choosing
    if (options.length === 1 && options[0].value) { schoolSel.value = options[0].value; loadPeople(); }
  } catch (e) {
    errBox.textContent = S.dbUnavailable;
    setTimeout(loadSchools, 3000);
  }
}

async function loadPeople() {
  const request = ++peopleRequest;
  const option = schoolSel.options[schoolSel.selectedIndex];
  personSel.replaceChildren(placeholder(option && option.value ? S.choose : S.chooseSchoolFirst));
  personSel.disabled = true;
  if (!option || !option.value) return;
  try {
    const people = await api("/people?school=" + option.dataset.school + "&lang=" + LANG);
    if (request !== peopleRequest) return;
    for (const g of ["administration", "teachers", "classTeachers", "parents", "students"]) {
      if (!people[g].length) continue;
      const og = el("optgroup", { label: S["groups." + g] });
      for (const p of people[g]) og.append(el("option", { value: p.personId }, p.fullName + (p.detail.length ? " — " + p.detail.join(", ") : "")));
      personSel.append(og);
    }
    personSel.disabled = false;
    errBox.textContent = "";
  } catch (e) {
    if (request !== peopleRequest) return;
    // only an answer that says "no school" means no school; anything else is a lost database or server
    if (e.status === 404) { showError(S.noSchool); return; }
    errBox.textContent = S.dbUnavailable;
    setTimeout(() => { if (request === peopleRequest) loadPeople(); }, 3000);
  }
}
schoolSel.addEventListener("change", loadPeople);

async function openChat(botId, personId, label, botName) {
  const { chatId } = await post("/chats", { botId, personId, lang: LANG });
  const key = botId + "/" + chatId;
  if (open.has(key)) return;
  const chatPath = "/chats/" + chatId;
  const q = "?bot=" + botId;
  const msgs = el("div", { class: "msgs" });
  const notice = el("div", { class: "notice", hidden: "" });
  const replyKb = el("div", { class: "reply-kb", hidden: "" });
  const input = el("input", { type: "text", placeholder: S.placeholder, maxlength: "4096" });
  const file = el("input", { type: "file", class: "file" });
  const sendText = async (text) => { try { await post(chatPath + "/messages" + q, { text }); } catch (e) { showError(e.message); } };
  const form = el("form", { class: "input", onsubmit: async (ev) => { ev.preventDefault(); const t = input.value.trim(); if (!t) return; input.value = ""; await sendText(t); } },
    input, el("label", { title: S.attach }, "📎", file), el("button", { type: "submit" }, S.send));
  file.addEventListener("change", async () => { if (!file.files.length) return; const fd = new FormData(); fd.append("file", file.files[0]); file.value = "";
    try { const r = await fetch(base + chatPath + "/documents" + q, { method: "POST", body: fd }); if (!r.ok) throw new Error(String(r.status)); } catch (e) { showError(e.message); } });
  const box = el("section", { class: "chat", "data-chat": chatId, "data-bot": botId },
    el("div", { class: "chat-head" }, el("span", {}, label, el("small", { class: "bot-name" }, botName)), el("button", { onclick: () => { box.remove(); open.delete(key); } }, S.close)),
    msgs, notice, replyKb, form);
  document.getElementById("empty")?.remove();
  document.getElementById("chats").append(box);
  const state = { rev: -1, alive: true };
  open.set(key, state);
  const render = (v) => {
    const atBottom = msgs.scrollHeight - msgs.scrollTop - msgs.clientHeight < 40;
    msgs.replaceChildren(...v.messages.map((m) => {
      const b = el("div", { class: "msg " + (m.fromBot ? "bot" : "me"), "data-id": m.id });
      if (m.document) b.append(el("a", { href: base + "/files/" + m.document.fileId + q, download: m.document.name }, "📄 " + m.document.name), m.text ? "\\n" : "");
      if (m.photo) b.append(el("a", { href: base + "/files/" + m.photo.fileId + q, target: "_blank" }, "🖼 " + S.photo), m.text ? "\\n" : "");
      b.append(m.text);
      if (m.edited) b.append(el("small", {}, S.edited));
      if (m.buttons.length) b.append(el("div", { class: "kb" }, ...m.buttons.map((row) => el("div", { class: "kb-row" }, ...row.map((btn) =>
        btn.url ? el("button", { onclick: () => window.open(btn.url, "_blank") }, btn.text + " ↗")
                : el("button", { onclick: async () => { try { await post(chatPath + "/press" + q, { messageId: m.id, data: btn.data }); } catch (e) { showError(e.message); } } }, btn.text))))));
      return b;
    }));
    if (atBottom || state.rev < 0) msgs.scrollTop = msgs.scrollHeight;
    const last = v.notices[v.notices.length - 1];
    notice.hidden = !last; notice.textContent = last ? "ℹ " + last.text : "";
    replyKb.hidden = !v.replyKeyboard;
    replyKb.replaceChildren(...(v.replyKeyboard ?? []).map((row) => el("div", { class: "kb-row" }, ...row.map((t) => el("button", { onclick: () => sendText(t) }, t)))));
  };
  (async function poll() {
    while (state.alive && open.has(key)) {
      try { const v = await api(chatPath + q + "&rev=" + state.rev); if (v.rev !== state.rev) { state.rev = v.rev; render(v); } }
      catch (e) { showError(e.message); await new Promise((r) => setTimeout(r, 2000)); }
    }
  })();
}

document.getElementById("open").addEventListener("click", async () => {
  const school = schoolSel.options[schoolSel.selectedIndex];
  if (!school || !school.value || !personSel.value) return;
  try { await openChat(Number(school.value), Number(personSel.value), personSel.options[personSel.selectedIndex].textContent, school.dataset.botName); }
  catch (e) { showError(e.message); }
});
loadSchools();`;

export function renderSandboxPage(lng: Language): string {
  const s = sandboxStrings(lng);
  const other = lng === "ru" ? "en" : "ru";
  // "<" is escaped so the JSON cannot close the script element.
  const json = JSON.stringify(s).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="${lng}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(s.title)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(s.title)}</h1>
<label>${escapeHtml(s.pickSchool)} <select id="school"><option value="">${escapeHtml(s.choose)}</option></select></label>
<label>${escapeHtml(s.pickPerson)} <select id="person" disabled><option value="">${escapeHtml(s.chooseSchoolFirst)}</option></select></label>
<button id="open" type="button">${escapeHtml(s.open)}</button>
<a href="?lang=${other}">${escapeHtml(s.language)}</a></header>
<p class="intro">${escapeHtml(s.intro)}</p>
<div id="error" class="err" role="alert"></div>
<main id="chats"><p id="empty" class="empty">${escapeHtml(s.noChats)}</p></main>
<script type="application/json" id="strings">${json}</script>
<script>${SCRIPT}</script>
</body></html>`;
}
