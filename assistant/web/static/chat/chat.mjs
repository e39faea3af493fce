// The council web chat: a form, a polite live log and quick-reply buttons, talking to
// Rasa's socket.io channel. Answers are drawn by render.mjs (no innerHTML); what the
// resident typed is shown as text. The conversation (its server-issued session id
// and the messages shown) is kept in sessionStorage, so a reload carries on. A council
// with two languages gets a button that switches: it sends "Cymraeg" or "English" (the
// assistant then answers in that language) and the interface text follows.
import { io } from "/vendor/socket.io.esm.min.js";

import { renderInto, safeHref } from "./render.mjs";
import { otherLanguage, stringsFor } from "./strings.mjs";

const MAX_KEPT_MESSAGES = 200;

function element(doc, tag, attributes = {}, text = null) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

/** The stored conversation for `key` ({session_id, messages}), or a new one. */
function loadState(key) {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(key) || "null");
    if (stored && Array.isArray(stored.messages)) return stored;
  } catch {
    // storage blocked or corrupt: start afresh
  }
  return { session_id: null, messages: [] };
}

function saveState(key, state) {
  try {
    state.messages = state.messages.slice(-MAX_KEPT_MESSAGES);
    window.sessionStorage.setItem(key, JSON.stringify(state));
  } catch {
    // storage full or blocked: the conversation still works until a reload
  }
}

/** The chat's elements inside `host`, with interface text from `t`. */
function buildWidget(host, t, lang, maxLength) {
  const doc = host.ownerDocument;
  const root = element(doc, "div", { class: "chat-widget", lang });
  const log = element(doc, "div", {
    class: "chat-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": t.conversation,
    tabindex: "0",
  });
  const status = element(doc, "p", { class: "chat-status", role: "status" });
  const form = element(doc, "form", { class: "chat-form", novalidate: "" });
  const input = element(doc, "input", {
    id: "chat-input",
    class: "chat-input",
    type: "text",
    autocomplete: "off",
    maxlength: String(maxLength),
    "aria-describedby": "chat-help",
  });
  const label = element(doc, "label", { for: "chat-input", class: "chat-label" }, t.inputLabel);
  const send = element(doc, "button", { type: "submit", class: "chat-send" }, t.send);
  const row = element(doc, "div", { class: "chat-form__row" });
  row.append(input, send);
  form.append(label, row);
  const toolbar = element(doc, "div", { class: "chat-toolbar" });
  const switcher = element(doc, "button", { type: "button", class: "chat-language" });
  toolbar.append(switcher);
  root.append(toolbar, log, status, form);
  host.replaceChildren(root);
  return { root, log, status, form, input, label, send, switcher, toolbar };
}

/** Show the interface in `lang`, with a switch to `other` (or none). */
function applyStrings(ui, t, lang, other) {
  ui.root.setAttribute("lang", lang);
  ui.log.setAttribute("aria-label", t.conversation);
  ui.label.textContent = t.inputLabel;
  ui.send.textContent = t.send;
  ui.toolbar.hidden = other === null;
  if (other !== null) {
    const target = stringsFor(other);
    ui.switcher.textContent = target.text.languageName;
    ui.switcher.setAttribute("lang", target.lang);
    ui.switcher.setAttribute("title", t.switchHint);
    ui.switcher.dataset.language = target.lang;
  }
}

/** Start the chat in `host` with the page's `config` (see assistant/web/server.py). */
export function startChat(host, config) {
  const doc = host.ownerDocument;
  const key = `chat_session:${config.customData.council}`;
  let state = loadState(key);
  let { lang, text: t } = stringsFor(state.lang || config.lang || doc.documentElement.lang);
  const ui = buildWidget(host, t, lang, config.maxLength || 2000);
  applyStrings(ui, t, lang, otherLanguage(lang, config.languages));

  ui.switcher.addEventListener("click", () => {
    const chosen = stringsFor(ui.switcher.dataset.language);
    if (!sendMessage(chosen.text.languageName, chosen.text.languageName)) return;
    ({ lang, text: t } = chosen);
    state.lang = lang;
    saveState(key, state);
    applyStrings(ui, t, lang, otherLanguage(lang, config.languages));
    ui.input.focus();
  });

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function removeChoices() {
    ui.log.querySelectorAll(".chat-replies").forEach((group) => group.remove());
  }

  function choices(buttons) {
    const group = element(doc, "div", { class: "chat-replies", role: "group", "aria-label": t.choices });
    for (const button of buttons) {
      const choice = element(doc, "button", { type: "button", class: "chat-reply" }, button.title);
      choice.addEventListener("click", () => {
        if (sendMessage(button.payload, button.title)) ui.input.focus();
      });
      group.append(choice);
    }
    return group;
  }

  function show(message, latest) {
    const from = message.from === "user" ? "user" : "bot";
    const item = element(doc, "div", { class: `chat-msg chat-msg--${from}` });
    item.append(element(doc, "span", { class: "chat-visually-hidden" }, from === "user" ? t.you : t.assistant));
    const body = element(doc, "div", { class: "chat-msg__text" });
    if (from === "user") body.textContent = message.text;
    else renderInto(body, message.text || "");
    item.append(body);
    const href = message.attachment ? safeHref(message.attachment) : null;
    if (href && /^https?:/u.test(href)) {
      const link = element(doc, "a", { href, rel: "noopener noreferrer", class: "chat-attachment" }, t.attachment);
      item.append(link);
    }
    ui.log.append(item);
    if (latest && message.buttons && message.buttons.length) ui.log.append(choices(message.buttons));
    scrollToEnd();
  }

  function record(message) {
    if (message.from === "user") removeChoices();
    state.messages.push(message);
    saveState(key, state);
    show(message, true);
  }

  const socket = io(config.socketUrl, { path: config.socketPath || "/socket.io/" });

  function sendMessage(payload, shown) {
    if (!socket.connected || !state.session_id) {
      ui.status.textContent = t.notSent;
      return false;
    }
    socket.emit("user_uttered", {
      message: payload,
      session_id: state.session_id,
      customData: config.customData,
    });
    if (shown !== null) record({ from: "user", text: shown });
    return true;
  }

  state.messages.forEach((message, index) => show(message, index === state.messages.length - 1));
  ui.status.textContent = t.connecting;

  socket.on("connect", () => {
    ui.status.textContent = t.connected;
    socket.emit("session_request", { session_id: state.session_id });
  });
  socket.on("disconnect", () => {
    ui.status.textContent = t.disconnected;
  });
  socket.on("session_confirm", (data) => {
    const id = typeof data === "string" ? data : data && data.session_id;
    if (typeof id !== "string") return;
    if (id === state.session_id && state.messages.length) return; // carrying on
    if (id !== state.session_id) {
      state = { session_id: id, messages: [], lang: state.lang };
      ui.log.replaceChildren();
      saveState(key, state);
    }
    if (config.initPayload) sendMessage(config.initPayload, null);
  });
  socket.on("bot_uttered", (data) => {
    if (!data || typeof data !== "object") return;
    const buttons = (data.quick_replies || data.buttons || [])
      .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
      .map((b) => ({ title: b.title, payload: b.payload }));
    const payload = data.attachment && data.attachment.payload;
    const attachment =
      typeof data.attachment === "string" ? data.attachment : (payload && (payload.src || payload.url)) || null;
    if (typeof data.text !== "string" && !buttons.length && !attachment) return;
    record({ from: "bot", text: typeof data.text === "string" ? data.text : "", buttons, attachment });
  });

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text) return;
    if (sendMessage(text, text)) ui.input.value = "";
  });
  return socket;
}

const configElement = document.getElementById("chat-config");
const host = document.getElementById("webchat");
if (configElement && host) startChat(host, JSON.parse(configElement.textContent));
