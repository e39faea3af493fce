// Every piece of interface text the web chat shows, by language (BCP 47 tag).
// `languageName` is the language's own name, shown on the button that switches to it.
export const STRINGS = {
  en: {
    languageName: "English",
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
    switchHint: "Change the chat's language",
  },
  cy: {
    languageName: "Cymraeg",
    conversation: "Sgwrs",
    you: "Dywedoch chi:",
    assistant: "Dywedodd y cynorthwyydd:",
    inputLabel: "Eich cwestiwn",
    send: "Anfon",
    choices: "Dewiswch ateb",
    attachment: "Agor y ffeil sydd ynghlwm",
    connecting: "Wrthi'n cysylltu â'r cynorthwyydd…",
    connected: "",
    disconnected: "Dydy'r sgwrs ddim wedi'i chysylltu. Yn rhoi cynnig arall arni…",
    notSent: "Chafodd eich neges ddim ei hanfon oherwydd nad yw'r sgwrs wedi'i chysylltu. Rhowch gynnig arall arni.",
    switchHint: "Newid iaith y sgwrs",
  },
};

export const DEFAULT_LANGUAGE = "en";

/** The strings for `lang` ("en-GB" uses "en"), else the default language's. */
export function stringsFor(lang) {
  const base = String(lang || "").toLowerCase().split("-")[0];
  return { lang: base in STRINGS ? base : DEFAULT_LANGUAGE, text: STRINGS[base] || STRINGS[DEFAULT_LANGUAGE] };
}

/** The language to switch to from `lang` among `languages` (null with only one). */
export function otherLanguage(lang, languages) {
  const offered = (languages || []).filter((code) => code in STRINGS);
  if (offered.length < 2) return null;
  return offered[(offered.indexOf(lang) + 1) % offered.length] || offered[0];
}
