// Unit tests for the web chat's interface text (run by `node --test`, and from pytest by
// tests/web/test_chat_strings_node.py): every language has every string, and the switch.
import assert from "node:assert/strict";
import { test } from "node:test";

import { otherLanguage, STRINGS, stringsFor } from "../../assistant/web/static/chat/strings.mjs";

test("every language has every interface string", () => {
  const keys = Object.keys(STRINGS.en).sort();
  for (const [lang, strings] of Object.entries(STRINGS)) {
    assert.deepEqual(Object.keys(strings).sort(), keys, lang);
    for (const key of keys) if (key !== "connected") assert.ok(strings[key].trim(), `${lang}.${key}`);
  }
  assert.notEqual(STRINGS.cy.send, STRINGS.en.send);
});

test("Welsh interface text for cy and cy-GB; English otherwise", () => {
  assert.equal(stringsFor("cy").text.send, "Anfon");
  assert.equal(stringsFor("cy-GB").lang, "cy");
  assert.equal(stringsFor("fr").lang, "en");
  assert.equal(stringsFor(undefined).text.send, "Send");
});

test("the switch offers the other language, and nothing with one language", () => {
  assert.equal(otherLanguage("cy", ["cy", "en"]), "en");
  assert.equal(otherLanguage("en", ["cy", "en"]), "cy");
  assert.equal(otherLanguage("en", ["en"]), null);
  assert.equal(otherLanguage("en", ["en", "xx"]), null);
  // The button's text is what it sends: the contract with the NLU ("Cymraeg"/"English").
  assert.equal(stringsFor(otherLanguage("en", ["cy", "en"])).text.languageName, "Cymraeg");
  assert.equal(stringsFor(otherLanguage("cy", ["cy", "en"])).text.languageName, "English");
});
