// DOM helpers for the tab. Every text from the log goes in as text (never markup): names and comments are not HTML.

export const $ = (id) => document.getElementById(id);

/** Builds an element; children are nodes or strings (strings become text, never markup). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false && c !== '') node.append(c instanceof Node ? c : String(c));
  return node;
}

export function showError(text) {
  const e = $('error');
  e.textContent = text;
  e.hidden = !text;
}

const scripts = new Map();

/** Loads a classic script (a vendor bundle) once; views that need one load it when first shown. */
export function loadScript(src) {
  if (!scripts.has(src))
    scripts.set(
      src,
      new Promise((resolve, reject) => {
        const script = el('script', { src });
        script.addEventListener('load', () => resolve());
        script.addEventListener('error', () => {
          scripts.delete(src);
          reject(new Error(`не загрузился ${src}`));
        });
        document.head.append(script);
      }),
    );
  return scripts.get(src);
}

/** Saves a response body as a file, as a download link would. */
export async function saveAs(res, name) {
  const blob = await res.blob();
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Reads a form's fields into an object, trimmed, without the empty ones. */
export function formValues(form) {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
}

/** A query string from an object, leaving out empty values. */
export function queryOf(values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q;
}

/**
 * «← Новее / Старее →» under a list: buttons `${prefix}-prev`, `${prefix}-next` and the range
 * `${prefix}-range`; `load()` reads `offset` and calls `show(page)` with the answer.
 */
export function pager(prefix, size, load) {
  const p = {
    offset: 0,
    show(page) {
      $(`${prefix}-range`).textContent = page.total ? `${p.offset + 1}–${p.offset + page.items.length} из ${page.total}` : '';
      $(`${prefix}-prev`).disabled = p.offset === 0;
      $(`${prefix}-next`).disabled = p.offset + size >= page.total;
    },
  };
  $(`${prefix}-prev`).addEventListener('click', () => {
    p.offset = Math.max(0, p.offset - size);
    load();
  });
  $(`${prefix}-next`).addEventListener('click', () => {
    p.offset += size;
    load();
  });
  return p;
}

/** Checks a form as the browser does, plus its period: «По» may not be before «С». Shows the problem at the field. */
export function isValid(form) {
  const from = form.elements.namedItem('from');
  const to = form.elements.namedItem('to');
  if (from && to) to.setCustomValidity(from.value && to.value && to.value < from.value ? 'Дата «По» раньше даты «С».' : '');
  return form.reportValidity();
}
