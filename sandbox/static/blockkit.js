// Pure rendering for the sandbox: Slack mrkdwn and Block Kit -> DOM.
// No network, no global state. Every piece of user text goes through escapeHtml
// (or textContent) before it reaches the DOM.

export const EMOJI = {
  bulb: "💡", books: "📚", raised_hands: "🙌", "+1": "👍", thumbsup: "👍",
  "-1": "👎", thumbsdown: "👎", tada: "🎉", wave: "👋", sparkles: "✨", star: "⭐",
  fire: "🔥", heart: "❤️", white_check_mark: "✅", heavy_check_mark: "✔️",
  warning: "⚠️", x: "❌", mag: "🔍", calendar: "📅", clipboard: "📋",
  bar_chart: "📊", speech_balloon: "💬", memo: "📝", trophy: "🏆", seedling: "🌱",
  eyes: "👀", pushpin: "📌", bell: "🔔", raising_hand: "🙋", handshake: "🤝",
  rocket: "🚀", thinking_face: "🤔", question: "❓", point_right: "👉",
  chart_with_upwards_trend: "📈", hourglass: "⏳", hourglass_flowing_sand: "⏳",
  zzz: "💤", lock: "🔒", link: "🔗", label: "🏷️", medal: "🏅",
  sports_medal: "🏅", clap: "👏", 100: "💯", brain: "🧠", computer: "💻",
  snake: "🐍", smile: "😄", slightly_smiling_face: "🙂", ok_hand: "👌",
  pray: "🙏", muscle: "💪", bookmark: "🔖", inbox_tray: "📥", gear: "⚙️",
  busts_in_silhouette: "👥", bust_in_silhouette: "👤", new: "🆕",
  information_source: "ℹ️", heavy_plus_sign: "➕", arrow_right: "➡️",
  mailbox: "📫", pencil: "✏️", pencil2: "✏️", spiral_note_pad: "🗒️",
  hammer_and_wrench: "🛠️", bookmark_tabs: "📑", page_facing_up: "📄",
  mega: "📣", loudspeaker: "📢", gift: "🎁", sunny: "☀️", coffee: "☕",
  arrow_forward: "▶️", arrow_upper_right: "↗️", arrow_lower_right: "↘️", arrow_up: "⬆️",
  arrow_down: "⬇️", double_vertical_bar: "⏸️", first_place_medal: "🥇",
  second_place_medal: "🥈", third_place_medal: "🥉", mortar_board: "🎓",
  wastebasket: "🗑️", zipper_mouth_face: "🤐", robot_face: "🤖", envelope: "✉️",
  key: "🔑", dart: "🎯", no_entry_sign: "🚫", repeat: "🔁",
};

/** Slack shortcodes (:bulb:) -> emoji; unknown ones stay as they are. */
export function emojify(text) {
  return String(text).replace(/:([a-z0-9_+'-]+):/gi, (m, name) => EMOJI[name.toLowerCase()] ?? m);
}

export function emojiFor(name) {
  return EMOJI[name] ?? `:${name}:`;
}

export function escapeHtml(s) {
  return String(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Slack escapes only &, < and > in message text. */
export function decodeSlack(s) {
  return String(s).replace(/&(lt|gt|amp);/g, (m, e) => ({ lt: "<", gt: ">", amp: "&" })[e]);
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

// ---------------------------------------------------------------- mrkdwn

function userLabel(id, ctx) {
  const u = ctx?.users?.[id];
  return u ? u.real_name || u.name || id : id;
}

const ORDINAL = (n) => n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th");

/** <!date^ts^{tokens}[^link]|fallback> in the reader's timezone (ctx.tz), as Slack shows it. */
function slackDate(cmd, fallback, ctx) {
  const [, stamp, tokens = ""] = cmd.split("^");
  const when = new Date(Number(stamp) * 1000);
  if (!stamp || Number.isNaN(when.getTime())) return fallback ?? cmd;
  const tz = ctx?.tz;
  const part = (d, opts) => d.toLocaleString("en-US", { timeZone: tz, ...opts });
  const dayOf = (d) => d.toLocaleDateString("en-CA", { timeZone: tz });
  const now = ctx?.now ? new Date(ctx.now) : new Date();
  const relative = () => {
    for (const [offset, word] of [[0, "today"], [-1, "yesterday"], [1, "tomorrow"]]) {
      if (dayOf(when) === dayOf(new Date(now.getTime() + offset * 86400000))) return word;
    }
    return null;
  };
  const day = Number(part(when, { day: "numeric" }));
  const year = part(when, { year: "numeric" });
  const month = part(when, { month: "long" });
  const formats = {
    date_num: () => dayOf(when),
    date: () => `${month} ${ORDINAL(day)}, ${year}`,
    date_short: () => `${part(when, { month: "short" })} ${day}, ${year}`,
    date_long: () => `${part(when, { weekday: "long" })}, ${month} ${ORDINAL(day)}, ${year}`,
    time: () => part(when, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
    time_secs: () => part(when, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }),
  };
  for (const kind of ["date", "date_short", "date_long"]) {
    formats[`${kind}_pretty`] = () => relative() ?? formats[kind]();
  }
  formats.day_divider_pretty = () => relative() ?? (year === part(now, { year: "numeric" })
    ? `${part(when, { weekday: "long" })}, ${month} ${ORDINAL(day)}` : formats.date_long());
  const out = tokens.replace(/\{(\w+)\}/g, (whole, name, at) => {
    const made = formats[name] ? formats[name]() : whole;
    return at === 0 ? made.charAt(0).toUpperCase() + made.slice(1) : made;
  });
  return out;
}

/** One Slack <...> token -> HTML. */
function tokenHtml(inner, ctx) {
  const bar = inner.indexOf("|");
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? decodeSlack(inner.slice(bar + 1)) : null;
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const me = ctx?.me && id === ctx.me ? " mention-me" : "";
    const name = ctx?.users?.[id] ? userLabel(id, ctx) : label || id;
    return `<span class="mention${me}" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const ch = ctx?.channels?.find?.((c) => c.id === id);
    const name = label || ch?.name || id;
    return `<span class="mention channel-mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("!")) {
    const cmd = target.slice(1);
    if (["here", "channel", "everyone"].includes(cmd)) {
      return `<span class="mention mention-broadcast">@${cmd}</span>`;
    }
    if (cmd.startsWith("subteam^")) {
      const name = label || "@group";
      return `<span class="mention">${escapeHtml(name.startsWith("@") ? name : "@" + name)}</span>`;
    }
    if (cmd.startsWith("date^")) return escapeHtml(slackDate(cmd, label, ctx));
    return escapeHtml(label ?? cmd);
  }
  const url = safeUrl(decodeSlack(target));
  if (!url) return escapeHtml(label ?? decodeSlack(target));
  const text = label ?? url.replace(/^mailto:/i, "");
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
}

const PH = "\u0000";
const PH_END = "\u0001";

/** Inline formatting of one line of raw Slack text -> safe HTML. */
function inlineHtml(raw, ctx) {
  const holes = [];
  const hole = (html) => `${PH}${holes.push(html) - 1}${PH_END}`;
  let s = raw.replace(/[\u0000\u0001]/g, "");
  s = s.replace(/<([^<>\n]+)>/g, (m, inner) => hole(tokenHtml(inner, ctx)));
  s = s.replace(/`([^`\n]+)`/g, (m, code) => hole(`<code>${escapeHtml(decodeSlack(code))}</code>`));
  s = s.replace(/\bhttps?:\/\/[^\s<>\u0000\u0001]+/g, (url) => {
    const tail = /[.,;:!?)\]'"*_~]+$/.exec(url)?.[0] ?? "";
    const bare = decodeSlack(url.slice(0, url.length - tail.length));
    return `${hole(`<a href="${escapeHtml(bare)}" target="_blank" rel="noopener noreferrer">${escapeHtml(bare)}</a>`)}${tail}`;
  });
  s = escapeHtml(decodeSlack(s));
  const wrap = (mark, tag) => {
    const m = mark === "*" ? "\\*" : mark;
    const re = new RegExp(`(^|[^\\w${m}])${m}(?=\\S)([^${m}\\n]*?\\S|\\S)${m}(?![\\w${m}])`, "g");
    s = s.replace(re, (all, pre, body) => `${pre}<${tag}>${body}</${tag}>`);
  };
  wrap("*", "b");
  wrap("_", "i");
  wrap("~", "s");
  s = emojify(s);
  const re = new RegExp(`${PH}(\\d+)${PH_END}`, "g");
  for (let i = 0; i < 3 && s.includes(PH); i++) s = s.replace(re, (m, n) => holes[Number(n)]);
  return s;
}

/** Slack mrkdwn text -> safe HTML string. */
export function mrkdwnToHtml(text, ctx = {}) {
  const src = String(text ?? "");
  const out = [];
  const parts = src.split(/```/);
  // even indexes: normal text, odd indexes: pre blocks (an unclosed ``` stays text)
  if (parts.length % 2 === 0) parts[parts.length - 2] += "```" + parts.pop();
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const body = part.replace(/^\n/, "").replace(/\n$/, "");
      out.push({ block: true, html: `<pre>${escapeHtml(decodeSlack(body))}</pre>` });
      return;
    }
    let chunk = part;
    if (i > 0) chunk = chunk.replace(/^\n/, "");
    if (i < parts.length - 1) chunk = chunk.replace(/\n$/, "");
    if (chunk === "" && (i > 0 || parts.length > 1)) return;
    let quote = null;
    let lines = [];
    const flushLines = () => {
      if (lines.length) out.push({ block: false, html: lines.join("\n") });
      lines = [];
    };
    for (const line of chunk.split("\n")) {
      const q = /^(?:>|&gt;)\s?(.*)$/.exec(line);
      if (q) {
        flushLines();
        if (!quote) {
          quote = [];
          out.push({ block: true, quote });
        }
        quote.push(inlineHtml(q[1], ctx));
      } else {
        quote = null;
        lines.push(inlineHtml(line, ctx));
      }
    }
    flushLines();
  });
  return out
    .map((p) => (p.quote ? `<blockquote>${p.quote.join("\n")}</blockquote>` : p.html))
    .join("");
}

/** Slack mrkdwn -> an element (div.mrkdwn). */
export function renderMrkdwn(text, ctx = {}, tag = "div") {
  const el = document.createElement(tag);
  el.className = "mrkdwn";
  el.innerHTML = mrkdwnToHtml(text, ctx);
  return el;
}

/** A text object (plain_text or mrkdwn) -> element. */
export function renderText(obj, ctx = {}, tag = "span") {
  if (obj == null) return document.createElement(tag);
  if (typeof obj === "string") obj = { type: "plain_text", text: obj };
  if (obj.type === "mrkdwn") return renderMrkdwn(obj.text, ctx, tag);
  const el = document.createElement(tag);
  el.className = "plain";
  el.textContent = obj.emoji === false ? obj.text ?? "" : emojify(obj.text ?? "");
  return el;
}

export function plainString(obj) {
  if (obj == null) return "";
  if (typeof obj === "string") return obj;
  return obj.emoji === false ? obj.text ?? "" : emojify(obj.text ?? "");
}

// ---------------------------------------------------------------- Block Kit

function h(tag, cls, attrs = {}) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) el.setAttribute(k, v);
  }
  return el;
}

let autoId = 0;

function optionPayload(opt) {
  if (!opt) return null;
  const o = { text: opt.text, value: opt.value };
  if (opt.description) o.description = opt.description;
  return o;
}

function allOptions(el) {
  if (el.options) return el.options;
  if (el.option_groups) return el.option_groups.flatMap((g) => g.options || []);
  return [];
}

/**
 * Render a list of blocks.
 * ctx: {users, channels, me, fallbackText, errors: {block_id: msg},
 *       onAction(action, element): called for interactive elements outside input blocks}
 */
export function renderBlocks(blocks, ctx = {}) {
  const root = h("div", "bk-blocks");
  let richDone = false;
  (blocks || []).forEach((block, idx) => {
    let el = null;
    if (block.type === "rich_text") {
      if (richDone) return;
      richDone = true;
      el = renderMrkdwn(ctx.fallbackText ?? richTextString(block), ctx);
      el.classList.add("bk-rich-text");
    } else {
      el = renderBlock(block, ctx, idx);
    }
    if (el) {
      el.dataset.blockId = blockIdOf(block, idx);
      root.append(el);
    }
  });
  return root;
}

function richTextString(block) {
  const walk = (els) =>
    (els || [])
      .map((e) => (e.elements ? walk(e.elements) : e.text ?? e.url ?? (e.name ? `:${e.name}:` : "")))
      .join("");
  return walk(block.elements);
}

function blockIdOf(block, idx) {
  return block.block_id || `block_${idx}`;
}

export function renderBlock(block, ctx, idx = 0) {
  const blockId = blockIdOf(block, idx);
  switch (block.type) {
    case "section": {
      const el = h("div", "bk-section");
      const main = h("div", "bk-section-main");
      if (block.text) main.append(renderText(block.text, ctx, "div"));
      if (block.fields?.length) {
        const grid = h("div", "bk-fields");
        for (const f of block.fields) grid.append(renderText(f, ctx, "div"));
        main.append(grid);
      }
      el.append(main);
      if (block.accessory) {
        const acc = h("div", "bk-accessory");
        const a = renderElement(block.accessory, blockId, ctx, false);
        if (a) acc.append(a);
        el.append(acc);
      }
      return el;
    }
    case "header": {
      const el = h("div", "bk-header");
      el.append(renderText(block.text, ctx));
      return el;
    }
    case "context": {
      const el = h("div", "bk-context");
      for (const e of block.elements || []) {
        if (e.type === "image") {
          el.append(renderImg(e.image_url, e.alt_text, "bk-context-img"));
        } else {
          el.append(renderText(e, ctx, "span"));
        }
      }
      return el;
    }
    case "divider":
      return h("hr", "bk-divider");
    case "actions": {
      const el = h("div", "bk-actions");
      (block.elements || []).forEach((e, i) => {
        const r = renderElement(e, blockId, ctx, false, i);
        if (r) el.append(r);
      });
      return el;
    }
    case "image": {
      const el = h("figure", "bk-image");
      if (block.title) el.append(renderText(block.title, ctx, "figcaption"));
      el.append(renderImg(block.image_url, block.alt_text, "bk-image-img"));
      return el;
    }
    case "input": {
      const el = h("div", "bk-input");
      const label = h("label", "bk-label");
      label.append(renderText(block.label, ctx));
      if (block.optional) label.append(Object.assign(h("span", "bk-optional"), { textContent: " (optional)" }));
      el.append(label);
      const input = renderElement(block.element || {}, blockId, ctx, true);
      if (input) el.append(input);
      if (block.hint) {
        const hint = renderText(block.hint, ctx, "div");
        hint.classList.add("bk-hint");
        el.append(hint);
      }
      const err = ctx.errors?.[blockId];
      if (err) {
        const e = h("div", "bk-error");
        e.textContent = err;
        el.append(e);
        el.classList.add("has-error");
      }
      return el;
    }
    default: {
      const t = block.text?.text ?? (typeof block.text === "string" ? block.text : null);
      if (t == null) return null;
      const el = h("div", "bk-unknown");
      el.append(renderMrkdwn(t, ctx));
      return el;
    }
  }
}

function renderImg(url, alt, cls) {
  const img = h("img", cls, { alt: alt || "", title: alt || "", loading: "lazy" });
  if (url) img.src = url;
  img.addEventListener("error", () => {
    const box = h("span", `${cls} bk-img-missing`);
    box.textContent = `🖼 ${alt || "image"}`;
    img.replaceWith(box);
  });
  return img;
}

function mark(el, blockId, actionId, type, isInput) {
  el.dataset.blockId = blockId;
  el.dataset.actionId = actionId;
  el.dataset.type = type;
  if (isInput) el.dataset.bkInput = "1";
  return el;
}

function fire(ctx, action, el) {
  if (typeof ctx.onAction === "function") ctx.onAction(action, el);
}

/** One interactive element. isInput: part of an input block (collects values, no action). */
export function renderElement(e, blockId, ctx, isInput, idx = 0) {
  const type = e.type;
  if (type === "image") return renderImg(e.image_url, e.alt_text, "bk-accessory-img");
  const actionId = e.action_id || `${blockId}-${idx}`;
  const base = { action_id: actionId, block_id: blockId, type };
  switch (type) {
    case "button": {
      const b = mark(h("button", "bk-button", { type: "button" }), blockId, actionId, type, false);
      if (e.style === "primary" || e.style === "danger") b.classList.add(e.style);
      if (e.value != null) b.dataset.value = e.value;
      if (e.url) b.dataset.url = e.url;
      b.append(renderText(e.text, ctx));
      b.addEventListener("click", () => {
        // a confirmation dialog (Block Kit's `confirm`): nothing is sent unless it is accepted
        const ask = e.confirm;
        if (ask && !window.confirm([ask.title?.text, ask.text?.text].filter(Boolean).join("\n\n"))) return;
        const url = e.url && safeUrl(e.url);
        if (url) window.open(url, "_blank", "noopener");
        const action = { ...base, value: e.value ?? null };
        if (e.text) action.text = e.text;
        fire(ctx, action, b);
      });
      return b;
    }
    case "static_select":
    case "external_select":
    case "users_select":
    case "conversations_select":
    case "channels_select":
    case "multi_static_select":
    case "multi_users_select":
    case "multi_conversations_select":
    case "multi_channels_select":
    case "overflow": {
      const multi = type.startsWith("multi_");
      const sel = mark(h("select", `bk-select${type === "overflow" ? " bk-overflow" : ""}`), blockId, actionId, type, isInput);
      if (multi) sel.multiple = true;
      const options = selectOptions(e, ctx);
      const initial = new Set();
      if (e.initial_option) initial.add(e.initial_option.value);
      for (const o of e.initial_options || []) initial.add(o.value);
      if (e.initial_user) initial.add(e.initial_user);
      for (const u of e.initial_users || []) initial.add(u);
      if (e.initial_conversation || e.initial_channel) initial.add(e.initial_conversation || e.initial_channel);
      if (!multi) {
        const ph = h("option", "", { value: "" });
        ph.textContent = type === "overflow" ? "⋯" : plainString(e.placeholder) || "Select an item";
        if (!initial.size) ph.selected = true;
        if (type !== "overflow") ph.disabled = !isInput && initial.size > 0;
        sel.append(ph);
      }
      const addOpt = (parent, o) => {
        const opt = h("option", "", { value: o.value });
        opt.textContent = plainString(o.text);
        if (initial.has(o.value)) opt.selected = true;
        parent.append(opt);
      };
      if (e.option_groups) {
        for (const g of e.option_groups) {
          const og = h("optgroup", "", { label: plainString(g.label) });
          for (const o of g.options || []) addOpt(og, o);
          sel.append(og);
        }
      } else {
        for (const o of options) addOpt(sel, o);
      }
      sel._bkOptions = options;
      if (!isInput) {
        sel.addEventListener("change", () => {
          const action = { ...base };
          const chosen = options.filter((o) => Array.from(sel.selectedOptions).some((s) => s.value === o.value));
          if (type === "overflow") {
            action.selected_option = optionPayload(chosen[0]);
            sel.value = "";
          } else if (type === "users_select") action.selected_user = sel.value || null;
          else if (type === "conversations_select") action.selected_conversation = sel.value || null;
          else if (type === "channels_select") action.selected_channel = sel.value || null;
          else if (multi) action.selected_options = chosen.map(optionPayload);
          else action.selected_option = optionPayload(chosen[0]) ?? null;
          fire(ctx, action, sel);
        });
      }
      return sel;
    }
    case "checkboxes":
    case "radio_buttons": {
      const box = mark(h("div", `bk-${type}`), blockId, actionId, type, isInput);
      const initial = new Set((e.initial_options || []).map((o) => o.value));
      if (e.initial_option) initial.add(e.initial_option.value);
      const name = `${blockId}__${actionId}__${++autoId}`;
      const inputs = [];
      for (const o of e.options || []) {
        const lab = h("label", "bk-option");
        const inp = h("input", "", {
          type: type === "checkboxes" ? "checkbox" : "radio",
          name,
          value: o.value,
          "data-block-id": blockId,
          "data-action-id": actionId,
        });
        inp.checked = initial.has(o.value);
        inp._bkOption = o;
        inputs.push(inp);
        lab.append(inp, renderText(o.text, ctx));
        if (o.description) {
          const d = renderText(o.description, ctx, "div");
          d.classList.add("bk-option-desc");
          lab.append(d);
        }
        box.append(lab);
        if (!isInput) {
          inp.addEventListener("change", () => {
            const chosen = inputs.filter((i) => i.checked).map((i) => optionPayload(i._bkOption));
            const action = { ...base };
            if (type === "checkboxes") action.selected_options = chosen;
            else action.selected_option = chosen[0] ?? null;
            fire(ctx, action, box);
          });
        }
      }
      return box;
    }
    case "timepicker":
    case "datepicker": {
      const inp = mark(h("input", `bk-${type}`, { type: type === "timepicker" ? "time" : "date" }), blockId, actionId, type, isInput);
      const init = type === "timepicker" ? e.initial_time : e.initial_date;
      if (init) inp.value = init;
      if (e.placeholder) inp.placeholder = plainString(e.placeholder);
      if (!isInput) {
        inp.addEventListener("change", () => {
          const action = { ...base };
          if (type === "timepicker") action.selected_time = inp.value || null;
          else action.selected_date = inp.value || null;
          fire(ctx, action, inp);
        });
      }
      return inp;
    }
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input": {
      const inp = e.multiline
        ? h("textarea", "bk-text-input", { rows: 4 })
        : h("input", "bk-text-input", { type: { email_text_input: "email", url_text_input: "url", number_input: "number" }[type] || "text" });
      mark(inp, blockId, actionId, type, isInput);
      if (e.initial_value != null) inp.value = e.initial_value;
      if (e.placeholder) inp.placeholder = plainString(e.placeholder);
      if (e.max_length) inp.maxLength = e.max_length;
      if (e.min_length) inp.minLength = e.min_length;
      if (!isInput) {
        inp.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" && !ev.shiftKey && !e.multiline) {
            fire(ctx, { ...base, value: inp.value }, inp);
          }
        });
      }
      return inp;
    }
    default: {
      if (e.text) return renderText(e.text, ctx);
      return null;
    }
  }
}

function selectOptions(e, ctx) {
  switch (e.type) {
    case "users_select":
    case "multi_users_select":
      return Object.entries(ctx.users || {}).map(([id, u]) => ({ text: { type: "plain_text", text: u.real_name || u.name }, value: id }));
    case "conversations_select":
    case "channels_select":
    case "multi_conversations_select":
    case "multi_channels_select":
      return (ctx.channels || []).map((c) => ({ text: { type: "plain_text", text: `#${c.name}` }, value: c.id }));
    default:
      return allOptions(e);
  }
}

/** Slack's view.state.values from every input element inside `container`. */
export function collectValues(container) {
  const values = {};
  for (const el of container.querySelectorAll("[data-bk-input]")) {
    const { blockId, actionId, type } = el.dataset;
    let v;
    if (type === "checkboxes") {
      const chosen = Array.from(el.querySelectorAll("input:checked")).map((i) => optionPayload(i._bkOption));
      v = { type, selected_options: chosen };
    } else if (type === "radio_buttons") {
      const i = el.querySelector("input:checked");
      v = { type, selected_option: i ? optionPayload(i._bkOption) : null };
    } else if (type === "timepicker") {
      v = { type, selected_time: el.value || null };
    } else if (type === "datepicker") {
      v = { type, selected_date: el.value || null };
    } else if (el.tagName === "SELECT") {
      const opts = el._bkOptions || [];
      const chosen = opts.filter((o) => Array.from(el.selectedOptions).some((s) => s.value && s.value === o.value));
      if (type === "users_select") v = { type, selected_user: chosen[0]?.value ?? null };
      else if (type === "multi_users_select") v = { type, selected_users: chosen.map((o) => o.value) };
      else if (type === "conversations_select") v = { type, selected_conversation: chosen[0]?.value ?? null };
      else if (type === "channels_select") v = { type, selected_channel: chosen[0]?.value ?? null };
      else if (type.startsWith("multi_")) v = { type, selected_options: chosen.map(optionPayload) };
      else v = { type, selected_option: optionPayload(chosen[0]) ?? null };
    } else {
      v = { type, value: el.value === "" ? null : el.value };
    }
    (values[blockId] ??= {})[actionId] = v;
  }
  return values;
}

/** Put previously typed values (from collectValues) back into freshly rendered inputs. */
export function restoreValues(container, values) {
  for (const el of container.querySelectorAll("[data-bk-input]")) {
    const v = values?.[el.dataset.blockId]?.[el.dataset.actionId];
    if (!v) continue;
    if (v.type === "checkboxes") {
      const want = new Set((v.selected_options || []).map((o) => o.value));
      for (const i of el.querySelectorAll("input")) i.checked = want.has(i.value);
    } else if (v.type === "radio_buttons") {
      for (const i of el.querySelectorAll("input")) i.checked = i.value === v.selected_option?.value;
    } else if (el.tagName === "SELECT") {
      const want = new Set(
        [v.selected_option?.value, v.selected_user, v.selected_conversation, v.selected_channel,
          ...(v.selected_options || []).map((o) => o.value), ...(v.selected_users || [])].filter(Boolean),
      );
      for (const o of el.options) o.selected = want.has(o.value) || (!want.size && o.value === "");
    } else if ("selected_time" in v) el.value = v.selected_time ?? "";
    else if ("selected_date" in v) el.value = v.selected_date ?? "";
    else el.value = v.value ?? "";
  }
}
