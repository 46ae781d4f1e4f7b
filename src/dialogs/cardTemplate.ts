import { setKey } from './cardWalk.js';

/**
 * The card templates (cards/*.json) compiled once into plain functions, for the subset of the
 * Adaptive Cards templating language they use: `${…}` in strings (a whole-string expression keeps
 * its type, others are concatenated), `$data` (an array repeats the element), `$when`, `$root`,
 * `$data`, `$index`, paths, string, number, `true`/`false`/`null` literals, `!`, `==`, `!=`, `>`,
 * `<`, `>=`, `<=`, `&&`, `||`, parentheses, `count()` and `if()`.
 *
 * `adaptivecards-templating` stays the reference and the fallback: it evaluates every expression
 * through adaptive-expressions' generic memory (a case-insensitive key search per path part, an
 * options object per operator), which was the largest share of a turn that is the bot's own. The
 * compiled function gives the library's output, with its nulls dropped as {@link dropNulls} does,
 * wherever the values are the plain ones the card data is built of; for anything whose meaning in
 * the library is subtle — a path that resolves to nothing (the library leaves `${path}` in the
 * card), `null` or an object inside a string (the library throws or writes `[object Object]`), a
 * comparison of objects or of mixed types, `count()` of a non-list — it returns undefined and the
 * caller expands the card with the library. A template using anything outside the subset is not
 * compiled at all. test/dialogs/cardTemplate.test.ts checks both give the same card for every
 * template, and with the check on (test/support/cardCheck.ts) every card any test renders is
 * expanded both ways and compared.
 */

/**
 * `$when` on a property (not an element) leaves `null` behind; card hosts expect the key absent.
 * Plain loops: this copies every value the data puts on a card.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) if (v !== null) out.push(dropNulls(v));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (v === null) continue;
      setKey(out, k, dropNulls(v));
    }
    return out;
  }
  return value;
}

/** Where an expression is evaluated: the template's data, the current `$data` and `$index`. */
interface Scope {
  root: unknown;
  data: unknown;
  index: number | undefined;
}

/** Thrown inside a compiled template where the library's result is not the plain one: the caller falls back to the library. */
const FALL_BACK = Symbol('fallBack');

/** A template construct the compiler does not know: the template is expanded by the library. */
class Unsupported extends Error {}

/**
 * A compiled expression or template node: its value in a scope; for a node, `undefined` for a key
 * left out and `null` for an element dropped.
 */
type Eval = (s: Scope) => unknown;

const fallBack = (): never => {
  throw FALL_BACK;
};

/** adaptive-expressions' truth: false, null and undefined are false, anything else (0 and '' too) is true. */
const truthy = (v: unknown) => (typeof v === 'boolean' ? v : v != null);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Date);

/** A value the library compares and prints plainly. */
const isPrimitive = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

// ---- expressions -------------------------------------------------------------------------------

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|'([^'\\]*)'|"([^"\\]*)"|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)|(==|!=|>=|<=|&&|\|\||[!><(),]))/y;

type Token = { kind: 'num'; value: number } | { kind: 'str'; value: string } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (source.slice(at).trim()) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(source);
    if (!m) throw new Unsupported(`cannot read «${source}» from «${source.slice(at)}»`);
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined || m[3] !== undefined) tokens.push({ kind: 'str', value: m[2] ?? m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'name', value: m[4] });
    else tokens.push({ kind: 'op', value: m[5] });
  }
  return tokens;
}

/** The value of a path from the scope; undefined anywhere on it (the library substitutes `${path}`) falls back. */
function pathEval(path: string): Eval {
  const parts = path.split('.');
  const first = parts[0];
  if (first.startsWith('$') && first !== '$root' && first !== '$data' && first !== '$index') throw new Unsupported(`unknown name ${first}`);
  const rest = first.startsWith('$') ? parts.slice(1) : parts;
  const start: Eval = first === '$root' ? (s) => s.root : first === '$index' ? (s) => s.index : (s) => s.data;
  return (s) => {
    let v = start(s);
    for (const k of rest) {
      // The library looks keys up ignoring case; the card data's keys are its TypeScript shapes, exact and unique.
      if (!isPlainObject(v) || !Object.hasOwn(v, k)) return fallBack();
      v = v[k];
    }
    return v === undefined ? fallBack() : v;
  };
}

/** adaptive-expressions' equality: null equals only null (an object too is compared with it), plain values as such, numbers within an epsilon. */
function equals(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === null && b === null;
  if (!isPrimitive(a) || !isPrimitive(b)) return fallBack();
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < Number.EPSILON) return true;
  return a === b;
}

function compare(op: string, l: Eval, r: Eval): Eval {
  return (s) => {
    const a = l(s);
    const b = r(s);
    if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return fallBack();
    return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
  };
}

/** A recursive-descent parser with adaptive-expressions' precedence: `!`, then `==`/`!=`, then `<`/`>`…, `&&`, `||`. */
function parseExpression(source: string): Eval {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (...ops: string[]) => {
    const t = peek();
    return t?.kind === 'op' && ops.includes(t.value);
  };
  const expect = (op: string) => {
    if (!isOp(op)) throw new Unsupported(`expected ${op} in «${source}»`);
    i++;
  };
  const binary = (next: () => Eval, ops: string[], make: (op: string, l: Eval, r: Eval) => Eval) => (): Eval => {
    let left = next();
    while (isOp(...ops)) {
      const op = String(tokens[i++].value);
      left = make(op, left, next());
    }
    return left;
  };
  const primary = (): Eval => {
    const t = tokens[i++];
    if (!t) throw new Unsupported(`«${source}» ends early`);
    if (t.kind === 'num' || t.kind === 'str') {
      const value = t.value;
      return () => value;
    }
    if (t.kind === 'op') {
      if (t.value !== '(') throw new Unsupported(`unexpected ${t.value} in «${source}»`);
      const inner = or();
      expect(')');
      return inner;
    }
    if (t.value === 'true' || t.value === 'false' || t.value === 'null') {
      const value = t.value === 'null' ? null : t.value === 'true';
      return () => value;
    }
    if (!isOp('(')) return pathEval(t.value);
    i++;
    const args: Eval[] = [];
    if (!isOp(')'))
      do args.push(or());
      while (isOp(',') && ++i);
    expect(')');
    if (t.value === 'count' && args.length === 1) {
      const [x] = args;
      return (s) => {
        const v = x(s);
        return typeof v === 'string' || Array.isArray(v) ? v.length : fallBack();
      };
    }
    if (t.value === 'if' && args.length === 3) {
      const [c, a, b] = args;
      return (s) => (truthy(c(s)) ? a(s) : b(s));
    }
    throw new Unsupported(`function ${t.value}/${args.length} in «${source}»`);
  };
  const unary = (): Eval => {
    if (!isOp('!')) return primary();
    i++;
    const x = unary();
    return (s) => !truthy(x(s));
  };
  const equality = binary(unary, ['==', '!='], (op, l, r) => (op === '==' ? (s) => equals(l(s), r(s)) : (s) => !equals(l(s), r(s))));
  const relation = binary(equality, ['>', '<', '>=', '<='], compare);
  const and = binary(relation, ['&&'], (_op, l, r) => (s) => truthy(l(s)) && truthy(r(s)));
  const or = binary(and, ['||'], (_op, l, r) => (s) => truthy(l(s)) || truthy(r(s)));
  const result = or();
  if (i !== tokens.length) throw new Unsupported(`unexpected ${tokens[i].value} in «${source}»`);
  return result;
}

// ---- strings -----------------------------------------------------------------------------------

/** A template string: its literal parts and `${…}` expressions, in order. */
function splitInterpolated(text: string): (string | Eval)[] {
  const parts: (string | Eval)[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('${', at);
    const literal = open < 0 ? text.slice(at) : text.slice(at, open);
    // adaptive-expressions reads the literal parts as a template string: escapes, backticks and braces have meanings there.
    if (/[\\`{}]/.test(literal)) throw new Unsupported(`literal «${literal}»`);
    if (literal) parts.push(literal);
    if (open < 0) break;
    let close = open + 2;
    let quote = '';
    for (; close < text.length; close++) {
      const c = text[close];
      if (quote) quote = c === quote ? '' : quote;
      else if (c === "'" || c === '"') quote = c;
      else if (c === '}') break;
      else if (c === '{' || c === '`' || c === '\\') throw new Unsupported(`expression in «${text}»`);
    }
    if (close >= text.length) throw new Unsupported(`unclosed expression in «${text}»`);
    parts.push(parseExpression(text.slice(open + 2, close)));
    at = close + 1;
  }
  return parts;
}

/** A value an expression puts on the card as it is: a copy without nulls, as the library's output gets. */
const placed = (v: unknown) => (v !== null && typeof v === 'object' ? dropNulls(v) : v);

function compileString(text: string): Eval {
  if (!text.includes('${')) return () => text;
  const parts = splitInterpolated(text);
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const whole = parts[0];
    return (s) => placed(whole(s));
  }
  return (s) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = p(s);
        // null throws in the library, an object prints as [object Object]: the library's to show.
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return fallBack();
        out += String(v);
      }
    }
    return out;
  };
}

// ---- elements ----------------------------------------------------------------------------------

/** Keys the library reads and never writes to the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

function compileArray(items: unknown[]): Eval {
  const nodes = items.map(compileNode);
  return (s) => {
    const out: unknown[] = [];
    for (const n of nodes) {
      const v = n(s);
      if (v === null || v === undefined) continue;
      // An element repeated by `$data`, or an expression giving a list (nulls dropped already): its items join this list.
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
    return out;
  };
}

function compileObject(node: Record<string, unknown>): Eval {
  const keys = Object.keys(node).filter((k) => !RESERVED.has(k));
  if (keys.includes('__proto__')) throw new Unsupported('a template key __proto__');
  const values = keys.map((k) => compileNode(node[k]));
  const body = (s: Scope) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const v = values[i](s);
      if (v !== null && v !== undefined) out[keys[i]] = v;
    }
    return out;
  };
  const when = node.$when;
  // The library drops an element whose `$when` is not an expression when it is truthy, and keeps it when falsy.
  const whenEval: Eval | undefined = typeof when === 'string' && when.includes('${') ? whole(when, '$when') : undefined;
  if (when !== undefined && !whenEval && when) return () => null;
  // `$when` is true only when it is the boolean true.
  const shown = whenEval ? (s: Scope) => whenEval(s) === true : () => true;
  const data = node.$data;
  if (data === undefined) return (s) => (shown(s) ? body(s) : null);
  if (typeof data !== 'string') throw new Unsupported('$data that is not an expression');
  const dataEval = whole(data, '$data');
  return (s) => {
    const d = dataEval(s);
    const out: unknown[] = [];
    if (Array.isArray(d)) {
      for (let i = 0; i < d.length; i++) {
        if (d[i] === undefined) return fallBack();
        const item: Scope = { root: s.root, data: d[i], index: i };
        if (shown(item)) out.push(body(item));
      }
    } else {
      const item: Scope = { root: s.root, data: d, index: s.index };
      if (shown(item)) out.push(body(item));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

/** A `$data` or `$when` value: exactly one expression. */
function whole(text: string, key: string): Eval {
  const parts = splitInterpolated(text);
  if (parts.length !== 1 || typeof parts[0] === 'string') throw new Unsupported(`${key} «${text}» is not one expression`);
  return parts[0];
}

function compileNode(node: unknown): Eval {
  if (typeof node === 'string') return compileString(node);
  if (Array.isArray(node)) return compileArray(node);
  if (node !== null && typeof node === 'object') return compileObject(node as Record<string, unknown>);
  return () => node;
}

/** The expansion of one template: the card, or undefined where the library is to expand it. */
export type CompiledTemplate = (data: object) => Record<string, unknown> | undefined;

/** Compiles a template once; undefined when it uses anything the compiler does not know. */
export function compileTemplate(template: unknown): CompiledTemplate | undefined {
  let root: Eval;
  try {
    root = compileNode(template);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return (data) => {
    try {
      const card = root({ root: data, data, index: undefined });
      return isPlainObject(card) ? card : undefined;
    } catch (e) {
      if (e === FALL_BACK) return undefined;
      throw e;
    }
  };
}
