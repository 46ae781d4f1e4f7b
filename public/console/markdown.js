/**
 * The Markdown subset Teams applies to Adaptive Card TextBlocks: **bold**, _italic_, bulleted
 * ("- ", "* ") and numbered ("1. ") lists, [links](https://…) and line breaks; a backslash before
 * punctuation shows it literally (Teams drops the backslash). Everything else is shown as written.
 * The input is HTML-escaped first, so card text can never inject markup.
 */

// Backslash-escaped punctuation is parked in the Unicode private-use area while Markdown is applied.
const PARK = 0xe000;
const park = (text) => text.replace(/\\([!-/:-@[-`{-~])/g, (_m, c) => String.fromCharCode(PARK + c.charCodeAt(0)));
const unpark = (html) => html.replace(/[\ue000-\ue07f]/g, (c) => escapeHtml(String.fromCharCode(c.charCodeAt(0) - PARK)));

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function inline(line) {
  let html = escapeHtml(line);
  // Links: only http(s) and mailto targets become anchors.
  html = html.replace(/\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g, (_m, label, href) => `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>`);
  html = html.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>');
  // _italic_ only at word edges, so identifiers such as copy_phrase_0 stay as they are.
  html = html.replace(/(^|[\s(«"„])_(?=\S)([^_\n]*?\S)_(?=$|[\s.,;:!?)»"“])/g, '$1<em>$2</em>');
  return html;
}

/** Markdown text → HTML, the way a Teams TextBlock shows it. */
export function teamsMarkdown(text) {
  const blocks = [];
  let list = null;
  let paragraph = [];
  const flushParagraph = () => {
    if (paragraph.length) blocks.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push(list.ordered ? `<ol start="${list.start}">${list.items.join('')}</ol>` : `<ul>${list.items.join('')}</ul>`);
    list = null;
  };
  for (const raw of park(String(text).replace(/\r\n?/g, '\n')).split('\n')) {
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(raw);
    const numbered = /^\s*(\d{1,9})[.)]\s+(.*)$/.exec(raw);
    if (bullet || numbered) {
      flushParagraph();
      const ordered = Boolean(numbered);
      if (!list || list.ordered !== ordered) {
        flushList();
        list = { ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
      }
      list.items.push(`<li>${inline(numbered ? numbered[2] : bullet[1])}</li>`);
    } else if (raw.trim() === '') {
      flushParagraph();
      flushList();
    } else {
      flushList();
      paragraph.push(raw);
    }
  }
  flushParagraph();
  flushList();
  return unpark(blocks.join(''));
}
