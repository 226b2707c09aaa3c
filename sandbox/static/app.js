// The sandbox page: polls /sandbox/state, renders a Slack-like workspace, posts user actions.
import {
  collectValues, emojiFor, plainString, renderBlocks, renderMrkdwn, restoreValues,
} from "./blockkit.js";

const POLL_MS = 700;
const STORE_KEY = "copbot-sandbox";
const QUICK_REACTIONS = ["bulb", "books", "raised_hands", "+1"];

const $ = (id) => document.getElementById(id);
const h = (tag, cls, attrs = {}) => {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  return el;
};
const text = (tag, cls, t, attrs) => {
  const el = h(tag, cls, attrs);
  el.textContent = t;
  return el;
};

// ------------------------------------------------------------------ selection

const sel = { user: null, channel: null, thread: null };
const drafts = new Map();
let state = null;
let lastSig = null;
let chromeSig = null;
let homeSig = null;
let modalSig = null;
let modalId = null;
let pollTimer = null;
let pollSeq = 0;
let scrollToEnd = true;
let threadScrollToEnd = true;
let connBanner = false;

function readSelection() {
  const hash = new URLSearchParams(location.hash.slice(1));
  let stored = {};
  try {
    stored = JSON.parse(localStorage.getItem(STORE_KEY) || "{}");
  } catch { /* ignore */ }
  const src = hash.has("user") || hash.has("channel") ? Object.fromEntries(hash) : stored;
  sel.user = src.user || null;
  sel.channel = src.channel || null;
  sel.thread = src.thread || null;
}

function saveSelection() {
  const p = new URLSearchParams();
  for (const k of ["user", "channel", "thread"]) if (sel[k]) p.set(k, sel[k]);
  history.replaceState(null, "", `#${p}`);
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(sel));
  } catch { /* ignore */ }
}

const selKey = () => `${sel.user}|${sel.channel}|${sel.thread}`;

function select(changes) {
  const before = { ...sel };
  Object.assign(sel, changes);
  if (before.channel !== sel.channel) {
    const box = $("composer");
    drafts.set(`${before.user}|${before.channel}`, box.value);
    box.value = drafts.get(`${sel.user}|${sel.channel}`) || "";
    scrollToEnd = true;
  }
  if (before.thread !== sel.thread) {
    $("thread-composer").value = "";
    threadScrollToEnd = true;
  }
  if (before.user !== sel.user) scrollToEnd = true;
  saveSelection();
  if (sel.channel === "home" && (before.channel !== "home" || before.user !== sel.user) && sel.user) {
    api("/sandbox/home", { user: sel.user }, false);
  }
  // the state we hold belongs to the old selection: only show the new highlight until it arrives
  lastSig = null;
  if (state) renderChrome();
  if (!sel.thread) $("thread-pane").hidden = true;
  poll();
}

// ------------------------------------------------------------------ server

async function poll() {
  clearTimeout(pollTimer);
  const seq = ++pollSeq;
  const key = selKey();
  const p = new URLSearchParams();
  if (sel.user) p.set("user", sel.user);
  if (sel.channel) p.set("channel", sel.channel);
  if (sel.thread && sel.channel !== "home") p.set("thread", sel.thread);
  try {
    const r = await fetch(`/sandbox/state?${p}`, { cache: "no-store" });
    const data = await r.json();
    if (seq !== pollSeq || key !== selKey()) return;
    if (connBanner) hideBanner();
    connBanner = false;
    if (data.ok === false) {
      showBanner(data.error || "The sandbox could not load its state", "error");
    } else {
      state = data;
      if (fixSelection()) {
        poll();
        return;
      }
      render();
    }
  } catch (e) {
    if (seq !== pollSeq) return;
    if (!connBanner) showBanner(`Cannot reach the sandbox server (${e.message})`, "error");
    connBanner = true;
  }
  if (seq === pollSeq) pollTimer = setTimeout(poll, POLL_MS);
}

/** Fill in defaults / drop stale ids. Returns true when the selection changed. */
function fixSelection() {
  const before = selKey();
  const people = state.people || [];
  if (!sel.user || !people.some((p) => p.id === sel.user)) {
    // nobody chosen yet, or someone from an earlier sandbox: the server answered as `me`
    sel.user = state.me ?? people[0]?.id ?? sel.user;
  }
  const channels = state.channels || [];
  const valid = sel.channel === "home" || channels.some((c) => c.id === sel.channel) || state.dm?.id === sel.channel
    || (state.channel && state.channel.id === sel.channel);
  if (!sel.channel || !valid) {
    const guild = channels.find((c) => c.name === "python-guild");
    sel.channel = (guild || channels[0])?.id ?? "home";
    sel.thread = null;
    scrollToEnd = true;
  }
  if (sel.thread && sel.channel !== "home" && state.channel?.id === sel.channel && !state.thread) sel.thread = null;
  if (selKey() !== before) {
    saveSelection();
    if (sel.channel === "home") api("/sandbox/home", { user: sel.user }, false);
    return true;
  }
  return false;
}

async function api(path, body, refresh = true) {
  let data;
  try {
    const r = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    try {
      data = await r.json();
    } catch {
      data = { ok: false, error: `${path} answered HTTP ${r.status}` };
    }
    if (!r.ok && data.ok !== false) data = { ok: false, error: data.error || `${path} answered HTTP ${r.status}` };
  } catch (e) {
    data = { ok: false, error: `Cannot reach the sandbox server (${e.message})` };
  }
  if (!data.ok) showBanner(data.error || `${path} failed`, "error");
  if (refresh) poll();
  return data;
}

// ------------------------------------------------------------------ banner

let bannerTimer = null;

function showBanner(msg, kind = "error") {
  const b = $("banner");
  clearTimeout(bannerTimer);
  if (kind === "info") bannerTimer = setTimeout(hideBanner, 15000);
  $("banner-text").textContent = msg;
  b.className = `banner ${kind}`;
  b.dataset.kind = kind;
  b.hidden = false;
}

function hideBanner() {
  $("banner").hidden = true;
}

// ------------------------------------------------------------------ formatting

/** Times are shown in the chosen person's Slack timezone, as Slack shows them to them. */
function viewerTz() {
  const tz = (state?.people || []).find((p) => p.id === sel.user)?.tz;
  try {
    if (tz) new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return tz || undefined;
  } catch {
    return undefined;  // a zone this browser does not know: its own
  }
}
const fmtTime = (d) => d.toLocaleTimeString(undefined, {
  hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: viewerTz(),
});
const fmtDateTime = (d, zone = false) => d.toLocaleString(undefined, {
  weekday: "short", year: "numeric", month: "short", day: "numeric",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: viewerTz(),
  ...(zone ? { timeZoneName: "short" } : {}),
});
const dayKey = (d) => d.toLocaleDateString("en-CA", { timeZone: viewerTz() });  // YYYY-MM-DD
/** "Today", "Yesterday" or "Monday, December 14": relative to the sandbox clock. */
function dayLabel(d) {
  const now = state?.now ? new Date(state.now) : new Date();
  const key = dayKey(d);
  if (key === dayKey(now)) return "Today";
  if (key === dayKey(new Date(now.getTime() - 86400000))) return "Yesterday";
  const sameYear = key.slice(0, 4) === dayKey(now).slice(0, 4);
  return d.toLocaleDateString(undefined, {
    weekday: "long", month: "long", day: "numeric", timeZone: viewerTz(),
    ...(sameYear ? {} : { year: "numeric" }),
  });
}
/** Messages with a day divider before the first of each day, as Slack separates them. */
function withDays(msgs) {
  const out = [];
  let last = null;
  for (const m of msgs) {
    const when = tsDate(m.ts);
    if (!Number.isNaN(when.getTime())) {
      const key = dayKey(when);
      if (key !== last) out.push({ _divider: dayLabel(when), _day: key });
      last = key;
    }
    out.push(m);
  }
  return out;
}
const tsDate = (ts) => new Date(parseFloat(ts) * 1000);

function colorFor(id) {
  let hash = 0;
  for (const c of String(id)) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360}, 45%, 42%)`;
}

function initials(name) {
  const parts = String(name || "?").split(/[\s._-]+/).filter(Boolean);
  return ((parts[0]?.[0] || "?") + (parts[1]?.[0] || "")).toUpperCase();
}

function ctxBase() {
  return {
    users: state?.users || {}, channels: state?.channels || [], me: sel.user, tz: viewerTz(), now: state?.now,
  };
}

// ------------------------------------------------------------------ rendering

function render() {
  if (!state) return;
  renderChrome();
  renderClock();
  renderModal();
  const sig = `${state.version}|${selKey()}`;
  if (sig === lastSig) return;
  const sameSelection = lastSig && lastSig.slice(lastSig.indexOf("|") + 1) === selKey();
  lastSig = sig;
  if (!sameSelection) {
    $("messages")._map = null;
    $("messages").replaceChildren();
    $("thread-messages")._map = null;
    $("thread-messages").replaceChildren();
  }
  renderMain();
  renderThread();
}

function renderChrome() {
  const sig = JSON.stringify([state.team, state.people, state.channels, state.dm, sel.user, sel.channel]);
  if (sig === chromeSig) return;
  chromeSig = sig;
  $("team-name").textContent = state.team?.name || "Sandbox";
  document.title = `${state.team?.name || "Sandbox"} — copbot sandbox`;

  const you = $("you-are");
  const opts = (state.people || []).map((p) => {
    const o = text("option", "", p.real_name ? `${p.real_name} (@${p.name})` : p.name, { value: p.id });
    return o;
  });
  you.replaceChildren(...opts);
  you.value = sel.user;

  const list = $("channel-list");
  list.replaceChildren(...(state.channels || []).map((c) => {
    const li = h("li");
    const b = h("button", "nav-item", { type: "button", "data-testid": "channel-link", "data-channel": c.id });
    if (c.id === sel.channel) b.classList.add("active");
    if (c.is_member === false) b.classList.add("not-member");
    b.append(text("span", "nav-icon", c.is_private ? "🔒" : "#"), document.createTextNode(c.name));
    b.addEventListener("click", () => select({ channel: c.id, thread: null }));
    li.append(b);
    return li;
  }));
  $("home-link").classList.toggle("active", sel.channel === "home");
  const dm = $("dm-link");
  dm.hidden = !state.dm;
  if (state.dm) dm.dataset.channel = state.dm.id;
  dm.classList.toggle("active", !!state.dm && sel.channel === state.dm.id);
}

function renderClock() {
  $("clock-now").textContent = state.now ? fmtDateTime(new Date(state.now), true) : "—";
  const next = state.next_post;
  const box = $("clock-next");
  if (next) {
    box.textContent = `Next: ${next.label} · ${fmtDateTime(new Date(next.at), true)}`;
  } else {
    box.textContent = "No scheduled posts";
  }
  $("clock-jump").disabled = !next || jumping;
}

function renderMain() {
  const home = sel.channel === "home";
  $("channel-view").hidden = home;
  $("home-view").hidden = !home;
  const title = $("channel-title");
  const sub = $("channel-sub");
  $("share-knowledge").hidden = false;
  if (home) {
    title.textContent = "copbot";
    sub.textContent = "App Home";
    renderHome();
    return;
  }
  homeSig = null;
  const ch = state.channel;
  if (ch?.is_im) {
    title.textContent = "copbot";
    sub.textContent = "Direct messages";
  } else if (ch) {
    title.textContent = `${ch.is_private ? "🔒 " : "# "}${ch.name}`;
    sub.textContent = ch.is_private ? "Private channel" : "";
  } else {
    title.textContent = "";
    sub.textContent = "";
  }
  const name = ch ? (ch.is_im ? "copbot" : `#${ch.name}`) : "";
  $("composer").placeholder = `Message ${name} — or type /cop help`;
  const listed = (state.channels || []).find((c) => c.id === ch?.id);
  $("join-bar").hidden = !listed || listed.is_member !== false;
  $("join-name").textContent = name;

  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const msgs = state.messages || [];
  reconcile(list, withDays(msgs), (m) => (m._divider ? buildDivider(m) : buildMessage(m, { inThread: false })));
  $("messages-empty").hidden = msgs.length > 0;
  if (atBottom || scrollToEnd) list.scrollTop = list.scrollHeight;
  if (msgs.length || state.channel) scrollToEnd = false;
}

function renderHome() {
  const view = state.home;
  const sig = JSON.stringify([view, sel.user]);
  if (sig === homeSig) return;
  const box = $("home-blocks");
  const saved = homeSig && view ? collectValues(box) : null;
  homeSig = sig;
  if (!view) {
    box.replaceChildren(text("div", "empty", "Opening the App Home…"));
    return;
  }
  const ctx = {
    ...ctxBase(),
    onAction: (action) => api("/sandbox/action", {
      user: sel.user, source: "home", view_id: view.id, action,
    }),
  };
  box.replaceChildren(renderBlocks(view.blocks || [], ctx));
  box.dataset.viewId = view.id;
  if (saved) restoreValues(box, saved);
}

function renderThread() {
  const pane = $("thread-pane");
  const t = state.thread;
  if (!sel.thread || sel.channel === "home" || !t) {
    pane.hidden = true;
    return;
  }
  pane.hidden = false;
  const ch = state.channel;
  $("thread-channel").textContent = ch ? (ch.is_im ? "copbot" : `#${ch.name}`) : "";
  const list = $("thread-messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [{ ...t.root, _root: true }, ...(t.replies || [])];
  reconcile(list, items, (m) => buildMessage(m, { inThread: true, isRoot: !!m._root }));
  if (atBottom || threadScrollToEnd) list.scrollTop = list.scrollHeight;
  threadScrollToEnd = false;
}

/** Keyed update of a message list: only changed messages are rebuilt. */
function reconcile(container, items, build) {
  const old = container._map || new Map();
  const next = new Map();
  let prev = null;
  for (const m of items) {
    const key = m._divider ? `day:${m._day}` : `${m._root ? "root" : m.ephemeral ? "e" : "m"}:${m.ts}`;
    const sig = JSON.stringify(m);
    let entry = old.get(key);
    if (!entry || entry.sig !== sig) entry = { sig, el: build(m) };
    next.set(key, entry);
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== entry.el) container.insertBefore(entry.el, want);
    prev = entry.el;
  }
  for (const [k, e] of old) if (next.get(k)?.el !== e.el) e.el.remove();
  container._map = next;
}

function buildDivider(m) {
  const el = h("div", "day-divider", { "data-testid": "day-divider", role: "separator" });
  el.append(text("span", "day-label", m._divider));
  return el;
}

function buildMessage(m, { inThread, isRoot = false }) {
  const channel = sel.channel;
  const user = state.users?.[m.user];
  const isBot = m.is_bot || user?.is_bot || m.ephemeral;
  const name = m.name || user?.real_name || user?.name || (m.ephemeral ? "copbot" : m.user);
  // the thread root in the side pane is not a ".message" so [data-ts] stays unique per page
  const el = h("div", isRoot ? "msg thread-root" : "msg message", isRoot ? { "data-root-ts": m.ts } : { "data-ts": m.ts });
  if (m.ephemeral) el.classList.add("ephemeral");
  if (m.user) el.dataset.user = m.user;

  const avatar = text("div", "avatar", initials(name));
  avatar.style.background = colorFor(m.user || name);
  el.append(avatar);

  const content = h("div", "msg-content");
  const head = h("div", "msg-head");
  head.append(text("span", "msg-name", name));
  if (isBot) head.append(text("span", "app-tag", "APP"));
  const when = tsDate(m.ts);
  head.append(text("span", "msg-time", Number.isNaN(when.getTime()) ? "" : fmtTime(when), {
    title: Number.isNaN(when.getTime()) ? "" : fmtDateTime(when),
  }));
  if (m.ephemeral) head.append(text("span", "ephemeral-note", "Only visible to you"));
  content.append(head);

  const body = h("div", "message-body");
  const ctx = {
    ...ctxBase(),
    fallbackText: m.text,
    onAction: (action) => api("/sandbox/action", {
      user: sel.user, channel, source: m.ephemeral ? "ephemeral" : "message", ts: m.ts, action,
    }),
  };
  const hasBlocks = Array.isArray(m.blocks) && m.blocks.length > 0;
  body.append(hasBlocks ? renderBlocks(m.blocks, ctx) : renderMrkdwn(m.text || "", ctx));
  if (m.edited) body.append(text("span", "edited", " (edited)"));
  content.append(body);

  for (const f of m.files || []) {
    const label = `📎 ${f.title || f.name}${f.title && f.name && f.title !== f.name ? ` (${f.name})` : ""}`;
    const url = typeof f.url === "string" && f.url.startsWith("/") ? f.url : null;
    const card = text(url ? "a" : "div", "file-card", label, url ? { href: url, target: "_blank", download: f.name || "" } : {});
    content.append(card);
    if (url && /\.(png|jpe?g|gif|svg)$/i.test(f.name || "")) {
      // a chart (/cop stats) is worth seeing in place, as Slack shows image uploads
      content.append(h("img", "file-image", { src: url, alt: f.title || f.name, loading: "lazy" }));
    }
  }

  if (m.reactions?.length) {
    const row = h("div", "reactions");
    for (const r of m.reactions) {
      const pill = h("button", `reaction${r.mine ? " mine" : ""}`, {
        type: "button", "data-testid": "reaction", "data-emoji": r.name, title: `:${r.name}:`,
      });
      pill.textContent = `${emojiFor(r.name)} ${r.count}`;
      pill.addEventListener("click", () => react(m, r.name));
      row.append(pill);
    }
    content.append(row);
  }

  if (!inThread && m.reply_count > 0) {
    const link = text("button", "thread-link", `${m.reply_count} ${m.reply_count === 1 ? "reply" : "replies"}`, {
      type: "button", "data-testid": "thread-link",
    });
    link.addEventListener("click", () => select({ thread: m.ts }));
    content.append(link);
  }
  el.append(content);

  if (!m.ephemeral) el.append(buildToolbar(m, inThread));
  return el;
}

function buildToolbar(m, inThread) {
  const bar = h("div", "msg-toolbar");
  for (const name of QUICK_REACTIONS) {
    const b = text("button", "tool", emojiFor(name), {
      type: "button", "data-testid": "react", "data-emoji": name, title: `React with :${name}:`,
    });
    b.addEventListener("click", () => react(m, name));
    bar.append(b);
  }
  if (!inThread) {
    const reply = text("button", "tool", "💬", { type: "button", "data-testid": "reply", title: "Reply in thread" });
    reply.addEventListener("click", () => select({ thread: m.ts }));
    bar.append(reply);
  }
  const menuWrap = h("div", "menu-wrap");
  const more = text("button", "tool", "⋯", { type: "button", "data-testid": "message-menu", title: "More actions" });
  const menu = h("div", "menu");
  const save = text("button", "menu-item", "📚 Save to knowledge", { type: "button", "data-testid": "save-shortcut" });
  save.addEventListener("click", () => {
    menu.classList.remove("open");
    api("/sandbox/shortcut", { user: sel.user, callback_id: "save_knowledge", channel: sel.channel, ts: m.ts });
  });
  menu.append(save);
  more.addEventListener("click", (ev) => {
    ev.stopPropagation();
    const open = !menu.classList.contains("open");
    closeMenus();
    menu.classList.toggle("open", open);
    bar.classList.toggle("pinned", open);
  });
  menuWrap.append(more, menu);
  bar.append(menuWrap);
  return bar;
}

function closeMenus() {
  for (const m of document.querySelectorAll(".menu.open")) m.classList.remove("open");
  for (const b of document.querySelectorAll(".msg-toolbar.pinned")) b.classList.remove("pinned");
}

function react(m, name) {
  api("/sandbox/react", { user: sel.user, channel: sel.channel, ts: m.ts, name });
}

// ------------------------------------------------------------------ modal

function renderModal() {
  const root = $("modal-root");
  const view = state.modal;
  if (!view) {
    if (root.firstChild) root.replaceChildren();
    modalSig = null;
    modalId = null;
    return;
  }
  const sig = JSON.stringify(view);
  if (sig === modalSig) return;
  const saved = modalId === view.id && root.firstChild ? collectValues(root) : null;
  modalSig = sig;
  modalId = view.id;

  const overlay = h("div", "modal-overlay");
  const box = h("div", "modal", { "data-testid": "modal", "data-view-id": view.id, role: "dialog", "aria-modal": "true" });
  const head = h("header", "modal-head");
  head.append(text("h2", "modal-title", plainString(view.title) || "copbot"));
  const x = text("button", "icon-button", "×", { type: "button", "aria-label": "Close" });
  x.addEventListener("click", () => closeModal(view.id));
  head.append(x);

  const body = h("div", "modal-body");
  const ctx = {
    ...ctxBase(),
    errors: view.errors || {},
    onAction: (action) => api("/sandbox/action", {
      user: sel.user, source: "modal", view_id: view.id, action,
      ...(sel.channel && sel.channel !== "home" ? { channel: sel.channel } : {}),
    }),
  };
  body.append(renderBlocks(view.blocks || [], ctx));
  if (saved) restoreValues(body, saved);

  const foot = h("footer", "modal-foot");
  const close = text("button", "btn", plainString(view.close) || "Cancel", { type: "button", "data-testid": "modal-close" });
  close.addEventListener("click", () => closeModal(view.id));
  foot.append(close);
  if (view.submit) {
    const submit = text("button", "btn primary", plainString(view.submit), { type: "button", "data-testid": "modal-submit" });
    submit.addEventListener("click", async () => {
      submit.disabled = true;
      await api("/sandbox/submit", { user: sel.user, view_id: view.id, values: collectValues(body) });
      submit.disabled = false;
    });
    foot.append(submit);
  }
  box.append(head, body, foot);
  overlay.append(box);
  overlay.addEventListener("mousedown", (ev) => {
    if (ev.target === overlay) closeModal(view.id);
  });
  const hadFocus = root.contains(document.activeElement) ? document.activeElement : null;
  root.replaceChildren(overlay);
  if (!saved) body.querySelector("input:not([type=checkbox]):not([type=radio]), textarea, select")?.focus();
  else if (hadFocus?.dataset?.actionId) {
    const again = body.querySelector(
      `[data-block-id="${CSS.escape(hadFocus.dataset.blockId)}"][data-action-id="${CSS.escape(hadFocus.dataset.actionId)}"]`,
    );
    again?.focus?.();
  }
}

function closeModal(viewId) {
  api("/sandbox/close", { user: sel.user, view_id: viewId });
}

// ------------------------------------------------------------------ composer & events

let jumping = false;

function wireComposer(area, form, getThread) {
  const send = async () => {
    const value = area.value;
    if (!value.trim() || !sel.user || !sel.channel || sel.channel === "home") return;
    const body = { user: sel.user, channel: sel.channel, text: value.trim() };
    const thread = getThread();
    if (thread) body.thread_ts = thread;
    area.value = "";
    const res = await api("/sandbox/send", body);
    if (!res.ok && !area.value) area.value = value;
    if (res.ok) {
      if (thread) threadScrollToEnd = true;
      else scrollToEnd = true;
    }
  };
  area.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      send();
    }
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    send();
  });
}

function init() {
  readSelection();
  saveSelection();
  wireComposer($("composer"), $("composer-form"), () => null);
  wireComposer($("thread-composer"), $("thread-form"), () => sel.thread);

  $("you-are").addEventListener("change", (ev) => {
    const user = ev.target.value;
    const keepChannel = sel.channel === "home" || (state?.channels || []).some((c) => c.id === sel.channel);
    // the open thread stays open when the new person can see it too (fixSelection checks)
    select({ user, channel: keepChannel ? sel.channel : null, thread: keepChannel ? sel.thread : null });
  });
  $("home-link").addEventListener("click", () => select({ channel: "home", thread: null }));
  $("dm-link").addEventListener("click", () => state?.dm && select({ channel: state.dm.id, thread: null }));
  $("thread-close").addEventListener("click", () => select({ thread: null }));
  $("join").addEventListener("click", () => api("/sandbox/join", { user: sel.user, channel: sel.channel }));
  $("banner-close").addEventListener("click", () => {
    hideBanner();
    connBanner = false;
  });
  $("share-knowledge").addEventListener("click", () => {
    const body = { user: sel.user, callback_id: "share_knowledge" };
    if (sel.channel && sel.channel !== "home") body.channel = sel.channel;
    api("/sandbox/shortcut", body);
  });
  $("clock-jump").addEventListener("click", async () => {
    jumping = true;
    $("clock-jump").disabled = true;
    const res = await api("/sandbox/clock/next", {});
    jumping = false;
    if (res.ok) {
      const at = res.at ? fmtDateTime(new Date(res.at)) : "";
      showBanner(res.summary || `Clock moved to ${at}`, "info");
    }
    if (state) renderClock();
  });
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest?.(".menu-wrap")) closeMenus();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      if (document.querySelector(".menu.open")) closeMenus();
      else if (modalId) closeModal(modalId);
    }
  });
  window.addEventListener("hashchange", () => {
    const before = selKey();
    readSelection();
    if (selKey() !== before) select({});
  });
  poll();
}

init();
