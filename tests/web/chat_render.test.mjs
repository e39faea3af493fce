// Unit tests for the web chat's answer renderer (run by `node --test`, and from pytest
// by tests/web/test_chat_renderer_node.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { inline, parse, safeHref, toDom } from "../../assistant/web/static/chat/render.mjs";

// A minimal document: records what is created, has no innerHTML at all.
class FakeNode {
  constructor(tag, text) {
    this.tag = tag;
    this.text = text;
    this.attributes = {};
    this.children = [];
  }
  appendChild(child) {
    if (child.tag === "#fragment") this.children.push(...child.children);
    else this.children.push(child);
    return child;
  }
  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }
}
const fakeDocument = {
  createElement: (tag) => new FakeNode(tag),
  createTextNode: (text) => new FakeNode("#text", text),
  createDocumentFragment: () => new FakeNode("#fragment"),
};

function render(source) {
  return toDom(parse(source), fakeDocument);
}

function all(node, found = []) {
  found.push(node);
  node.children.forEach((child) => all(child, found));
  return found;
}

function textOf(node) {
  return all(node)
    .filter((n) => n.tag === "#text")
    .map((n) => n.text)
    .join("");
}

function links(node) {
  return all(node).filter((n) => n.tag === "a").map((n) => n.attributes.href);
}

test("an image from an answer is never an image: its source stays as text", () => {
  const out = render("Look ![x](http://outside.example/x.png) here");
  assert.deepEqual(all(out).filter((n) => n.tag === "img"), []);
  assert.deepEqual(links(out), []);
  assert.equal(textOf(out), "Look ![x](http://outside.example/x.png) here");
});

test("javascript:, data: and vbscript: links render as text, not links", () => {
  for (const target of ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x"]) {
    const out = render(`[click](${target})`);
    assert.deepEqual(links(out), [], target);
    assert.equal(textOf(out), `[click](${target})`);
  }
  assert.equal(safeHref("java\tscript:alert(1)"), null);
  assert.equal(safeHref("//outside.example/"), null);
});

test("raw HTML is text", () => {
  const source = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  const out = render(source);
  assert.deepEqual(all(out).map((n) => n.tag).filter((t) => !t.startsWith("#")), ["p"]);
  assert.equal(textOf(out), source);
});

test("http(s), mailto and tel links are links", () => {
  const out = render("[Pay](https://www.millbrook.example.gov.uk/pay) or mail [us](mailto:a@b.example)");
  assert.deepEqual(links(out), ["https://www.millbrook.example.gov.uk/pay", "mailto:a@b.example"]);
  const bare = render("See https://x.example/a_b_c. Email help@x.example.gov.uk.");
  assert.deepEqual(links(bare), ["https://x.example/a_b_c", "mailto:help@x.example.gov.uk"]);
});

test("UK phone numbers are tap-to-call", () => {
  const out = render("Call 0300 123 4567, out of hours 01632 960000 or 0808 80 10 800. In danger: 999.");
  assert.deepEqual(links(out), ["tel:03001234567", "tel:01632960000", "tel:08088010800", "tel:999"]);
  assert.deepEqual(links(render("Call +44 300 123 4567")), ["tel:+443001234567"]);
});

test("masked references render exactly as sent", () => {
  for (const source of ["Account *345 is paid.", "Account •••345 is paid.", "Accounts *345 and *678*"]) {
    const out = render(source);
    assert.equal(textOf(out), source);
    assert.deepEqual(links(out), []);
    assert.deepEqual(all(out).filter((n) => n.tag === "em"), []);
  }
  assert.deepEqual(links(render("Reference 30012345")), []);
});

test("bold, italic, line breaks and lists", () => {
  const out = render("**Bins** are *weekly*\nand _fortnightly_\n\n- one\n- [two](https://t.example)\n\n1. first\n2. second");
  const tags = all(out).map((n) => n.tag).filter((t) => !t.startsWith("#"));
  assert.deepEqual(tags, ["p", "strong", "em", "br", "em", "ul", "li", "li", "a", "ol", "li", "li"]);
  assert.equal(textOf(out), "Bins are weeklyand fortnightlyonetwofirstsecond");
});

test("a value a resident typed is text whatever it holds", () => {
  const said = "[x](javascript:alert(1)) <b>hi</b> ![y](http://outside.example/y.png)";
  assert.deepEqual(links(render(`You said: ${said}`)), []);
  assert.deepEqual(inline("a * b * c").map((n) => n.type), ["text"]);
});

test("backslash escapes (values from the conversation) show the character itself", () => {
  const out = render(String.raw`You said: \[x\]\(https\://evil.example\) \*\*not bold\*\* \_x\_ account \*345`);
  assert.equal(textOf(out), "You said: [x](https://evil.example) **not bold** _x_ account *345");
  assert.deepEqual(all(out).filter((n) => ["a", "strong", "em"].includes(n.tag)), []);
  assert.equal(textOf(render(String.raw`C:\files \d`)), String.raw`C:\files \d`);
});
