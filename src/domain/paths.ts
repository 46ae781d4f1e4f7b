import type { Answer, Facts } from './engine.js';
import type { Procedure } from './types.js';

/** One way through a procedure: the answers and facts that lead to `outcome`. */
export interface ProcedurePath {
  answers: Answer[];
  facts: Record<string, string>;
  outcome: string;
}

/**
 * Every path from the start to an outcome, depth first in option order. Used by the linter
 * (reachability) and by tests that walk every outcome; stops at a repeated node so a cyclic
 * procedure cannot loop here (the linter reports the cycle).
 */
export function allPaths(proc: Procedure): ProcedurePath[] {
  const out: ProcedurePath[] = [];
  const walk = (nodeId: string, answers: Answer[], facts: Facts, seen: Set<string>) => {
    const node = proc.nodes[nodeId];
    if (!node || seen.has(nodeId)) return;
    const here = new Set(seen).add(nodeId);
    if (node.type === 'outcome') out.push({ answers, facts: { ...facts }, outcome: nodeId });
    else if (node.type === 'check')
      for (const [value, next] of Object.entries(node.cases)) walk(next, answers, { ...facts, [node.fact]: value }, here);
    else for (const o of node.options) walk(o.next, [...answers, { nodeId, optionId: o.id }], facts, here);
  };
  walk(proc.start, [], {}, new Set());
  return out;
}
