// Every piece of interface text the web chat shows, by language (BCP 47 tag).
// A language switch adds a table here (for example "cy") and sets the widget's `lang`.
export const STRINGS = {
  en: {
    conversation: "Conversation",
    you: "You said:",
    assistant: "Assistant said:",
    inputLabel: "Your question",
    send: "Send",
    choices: "Choose an answer",
    attachment: "Open the attached file",
    connecting: "Connecting to the assistant…",
    connected: "",
    disconnected: "The chat is not connected. Trying again…",
    notSent: "Your message was not sent because the chat is not connected. Please try again.",
  },
};

export const DEFAULT_LANGUAGE = "en";

/** The strings for `lang` ("en-GB" uses "en"), else the default language's. */
export function stringsFor(lang) {
  const base = String(lang || "").toLowerCase().split("-")[0];
  return { lang: base in STRINGS ? base : DEFAULT_LANGUAGE, text: STRINGS[base] || STRINGS[DEFAULT_LANGUAGE] };
}
