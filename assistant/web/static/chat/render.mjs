// Safe rendering of answers: a tiny Markdown subset turned into DOM nodes.
//
// Supported: **bold**, *italic* / _italic_, [text](link), line breaks, "- " and "1. "
// lists, bare web addresses, email addresses and UK phone numbers (tap-to-call).
// Links are made only for http(s), tel and mailto; anything else (javascript:,
// data:, images "![..](..)", raw HTML) stays visible as plain text. Nodes are built
// with createElement/createTextNode: never innerHTML. Masked references such as
// "*345" or "•••345" are text, exactly as sent. A backslash before one of \ * _ [ ] ( ) ! : `
// shows that character as itself (the NLG server escapes values from the conversation).

const SAFE_SCHEMES = new Set(["http:", "https:", "tel:", "mailto:"]);

// Inline tokens, tried left to right; the first alternative that matches wins.
const INLINE = new RegExp(
  [
    String.raw`(?<escaped>\\[\\*_\[\]()!:\x60])`,
    String.raw`(?<image>!\[[^\]\n]*\]\([^)\n]*\))`,
    String.raw`(?<link>\[(?<label>[^\]\n]+)\]\((?<target>[^)\s]+)\))`,
    String.raw`(?<bold>\*\*(?=\S)(?<boldText>[^\n]+?)(?<=\S)\*\*)`,
    String.raw`(?<masked>[*•]+\d+)`,
    String.raw`(?<url>https?:\/\/[^\s<>"'\]\\]*[^\s<>"'.,;:!?)\]\\])`,
    String.raw`(?<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)`,
    String.raw`(?<phone>(?<![\w*•+])(?:\+44 ?\(?0?\)? ?|0)\d(?:[ -]?\d){8,9}(?![\w])|(?<![\w*•])(?:999|111)(?![\w]))`,
    String.raw`(?<italic>(?<![\w*])\*(?=[^\s*])(?<starText>[^*\n]+?)(?<=\S)\*(?![\w*]))`,
    String.raw`(?<under>(?<!\w)_(?=\S)(?<underText>[^_\n]+?)(?<=\S)_(?!\w))`,
  ].join("|"),
  "gu",
);

/** The href to use for `target`, or null when it must not become a link. */
export function safeHref(target) {
  if (typeof target !== "string" || /[\u0000-\u0020\u007f]/u.test(target)) return null;
  let url;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if (!SAFE_SCHEMES.has(url.protocol)) return null;
  if (url.protocol === "tel:" && !/^tel:\+?[\d-]+$/u.test(target)) return null;
  return target;
}

/** The tel: address for a phone number as written ("0300 123 4567"). */
export function telHref(number) {
  const digits = number.replace(/\(0\)/gu, "").replace(/[^\d+]/gu, "");
  return `tel:${digits}`;
}

function text(value) {
  return { type: "text", text: value };
}

function link(href, children) {
  return { type: "a", href, children };
}

function tokenFor(groups, whole) {
  if (groups.escaped !== undefined) return [text(whole.slice(1))];
  if (groups.image !== undefined || groups.masked !== undefined) return [text(whole)];
  if (groups.link !== undefined) {
    const href = safeHref(groups.target);
    return href ? [link(href, [text(groups.label)])] : [text(whole)];
  }
  if (groups.bold !== undefined) return [{ type: "strong", children: inline(groups.boldText) }];
  if (groups.url !== undefined) {
    const href = safeHref(groups.url);
    return href ? [link(href, [text(groups.url)])] : [text(whole)];
  }
  if (groups.email !== undefined) return [link(`mailto:${groups.email}`, [text(groups.email)])];
  if (groups.phone !== undefined) return [link(telHref(groups.phone), [text(groups.phone)])];
  const emphasised = groups.starText ?? groups.underText;
  return [{ type: "em", children: inline(emphasised) }];
}

/** Inline nodes for one line of text. */
export function inline(line) {
  const nodes = [];
  let position = 0;
  for (const match of line.matchAll(INLINE)) {
    if (match.index > position) nodes.push(text(line.slice(position, match.index)));
    nodes.push(...tokenFor(match.groups, match[0]));
    position = match.index + match[0].length;
  }
  if (position < line.length) nodes.push(text(line.slice(position)));
  return nodes;
}

const BULLET = /^\s*[-*•]\s+(.*)$/u;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/u;

function listKind(line) {
  if (BULLET.test(line) && !/^\s*[*•]+\d/u.test(line)) return "ul";
  if (NUMBERED.test(line)) return "ol";
  return null;
}

function paragraph(lines) {
  const children = [];
  lines.forEach((line, index) => {
    if (index > 0) children.push({ type: "br" });
    children.push(...inline(line));
  });
  return { type: "p", children };
}

/** The block tree for an answer: paragraphs (lines joined by <br>) and lists. */
export function parse(source) {
  const blocks = [];
  let lines = [];
  let list = null;
  const flush = () => {
    if (lines.length) blocks.push(paragraph(lines));
    lines = [];
  };
  for (const line of String(source ?? "").replace(/\r\n?/gu, "\n").split("\n")) {
    const kind = listKind(line);
    if (kind) {
      flush();
      if (!list || list.type !== kind) {
        list = { type: kind, children: [] };
        blocks.push(list);
      }
      const item = (kind === "ul" ? BULLET : NUMBERED).exec(line)[1];
      list.children.push({ type: "li", children: inline(item) });
    } else if (line.trim() === "") {
      flush();
      list = null;
    } else {
      list = null;
      lines.push(line);
    }
  }
  flush();
  return blocks;
}

/** DOM nodes for a tree from `parse`, made in `doc` (createElement/createTextNode only). */
export function toDom(nodes, doc) {
  const fragment = doc.createDocumentFragment();
  for (const node of nodes) {
    if (node.type === "text") {
      fragment.appendChild(doc.createTextNode(node.text));
      continue;
    }
    const element = doc.createElement(node.type);
    if (node.type === "a") {
      element.setAttribute("href", node.href);
      if (/^https?:/u.test(node.href)) element.setAttribute("rel", "noopener noreferrer");
    }
    if (node.children) element.appendChild(toDom(node.children, doc));
    fragment.appendChild(element);
  }
  return fragment;
}

/** Render `source` (an answer's text) into `container`, replacing what was there. */
export function renderInto(container, source) {
  const doc = container.ownerDocument;
  container.replaceChildren(toDom(parse(source), doc));
}
