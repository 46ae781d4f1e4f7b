/** A node of an Adaptive Card as JSON; an action is one whose `type` is `Action.…` (a button, a select action, a refresh's action). */
export type CardNode = Record<string, unknown>;

const isAction = (node: CardNode) => typeof node.type === 'string' && node.type.startsWith('Action.');

/**
 * The card with every action replaced by what `action` makes of a copy of it (its children done
 * first). `keep` names keys whose values are taken as they are, not walked (a button's data, say);
 * `drop` names keys left out. Nodes with nothing to change are the card's own, not copies: this
 * runs on every card a turn sends, and neither the card nor the result is changed afterwards.
 */
export function mapActions<T>(card: T, action: (node: CardNode) => unknown, keys: { keep?: ReadonlySet<string>; drop?: string } = {}): T {
  const { keep, drop } = keys;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        const v = visit(node[i]);
        if (v !== node[i]) (out ??= node.slice())[i] = v;
      }
      return out ?? node;
    }
    if (!node || typeof node !== 'object') return node;
    const n = node as CardNode;
    let out: CardNode | undefined;
    const names = Object.keys(n);
    for (let i = 0; i < names.length; i++) {
      const k = names[i];
      const dropped = k === drop;
      const v = dropped ? undefined : keep?.has(k) ? n[k] : visit(n[k]);
      if (!out) {
        if (v === n[k] && !dropped) continue;
        // The first change: the keys before it are taken as they are.
        out = {};
        for (let j = 0; j < i; j++) setKey(out, names[j], n[names[j]]);
      }
      if (!dropped) setKey(out, k, v);
    }
    if (out) return isAction(out) ? action(out) : out;
    return isAction(n) ? action({ ...n }) : n;
  };
  return visit(card) as T;
}

/** Sets a key of a copy; one named __proto__ (from data) stays a key, where assignment would set the prototype. */
export function setKey(out: CardNode, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}
