/** A node of an Adaptive Card as JSON; an action is one whose `type` is `Action.…` (a button, a select action, a refresh's action). */
export type CardNode = Record<string, unknown>;

/**
 * A copy of a card with every action replaced by what `action` makes of its copy (children first).
 * `keep` names keys whose values are taken as they are, not walked (a button's data, say); `drop`
 * names keys left out. Plain loops: this runs on every card a turn sends.
 */
export function mapActions<T>(card: T, action: (node: CardNode) => unknown, keys: { keep?: ReadonlySet<string>; drop?: string } = {}): T {
  const { keep, drop } = keys;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const out: unknown[] = new Array(node.length);
      for (let i = 0; i < node.length; i++) out[i] = visit(node[i]);
      return out;
    }
    if (!node || typeof node !== 'object') return node;
    const out: CardNode = {};
    for (const k of Object.keys(node)) {
      if (k === drop) continue;
      const v = (node as CardNode)[k];
      const copy = keep?.has(k) ? v : visit(v);
      // A key named __proto__ stays a key (assignment would set the prototype).
      if (k === '__proto__') Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[k] = copy;
    }
    return typeof out.type === 'string' && out.type.startsWith('Action.') ? action(out) : out;
  };
  return visit(card) as T;
}
