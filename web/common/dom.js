// Small DOM helpers shared by the pages. Text always goes in as text nodes: no data is ever
// parsed as HTML here (the one HTML value, a dataset description, goes through DOMPurify).

/**
 * h('a', { href: '/x', class: 'link', onclick: fn }, 'text', child) → an element.
 * Attributes with null/undefined/false values are left out; `on<event>` adds a listener;
 * `dataset` sets data-* attributes.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces the content of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Only http(s) and same-site links are made clickable (never javascript: or data:). */
export function safeUrl(url) {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url, window.location.origin);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const numberFormat = new Intl.NumberFormat('en-US');
export const formatCount = (n) => numberFormat.format(n);

/** A count shown to people, with its exact value in data-value for scripts and tests. */
export function count(n, attrs = {}) {
  return h('span', { class: 'count', ...attrs, dataset: { value: String(n), ...(attrs.dataset ?? {}) } }, formatCount(n));
}

/** The status of a widget (loading, ready, error), for people (styles) and for the browser tests. */
export function setStatus(el, status, message) {
  // Each load is a new round: a script (or a browser test) waiting for "ready after my click" waits
  // for a round after the one it saw.
  if (status === 'loading') el.dataset.round = String(Number(el.dataset.round ?? '0') + 1);
  el.dataset.status = status;
  const note = el.querySelector(':scope > .status-message');
  if (note) note.remove();
  if (message) el.prepend(h('p', { class: `status-message ${status}` }, message));
}

/** A short readable text of an API error (the v1 body's `error`, else the HTTP status). */
export function errorText(e) {
  if (e && e.status === 401) return 'This needs credentials: set an API key or an access token (top right), then try again.';
  if (e && e.body && typeof e.body.error === 'string') return e.body.error.split('\n')[0];
  return e && e.message ? e.message : String(e);
}
