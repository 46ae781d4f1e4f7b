import { EngineError, locate, type Answer, type Facts, type Position } from './engine.js';
import type { DecisionRecord } from './decisions.js';
import type { KnowledgeBase, OutcomeNode, Procedure } from './types.js';
import type { Walk } from './walk.js';

const procedureIndex = new WeakMap<KnowledgeBase, Map<string, Procedure>>();

/** The procedure with this id in the knowledge base, looked up through an index built once per base. */
export function procedureOf(kb: KnowledgeBase, id: string): Procedure | undefined {
  let index = procedureIndex.get(kb);
  if (!index) procedureIndex.set(kb, (index = new Map(kb.procedures.map((p) => [p.id, p]))));
  return index.get(id);
}

/**
 * The outcome a logged decision was answered with, on this knowledge base — only while its procedure
 * is at the version the decision was made with, since a later version's text may differ from what
 * the operator was told: `procedureChanged` when the procedure is at another version or gone;
 * undefined when its node is not an outcome (a decision this base never made).
 */
export function answeredOutcome(
  kb: KnowledgeBase,
  decision: Pick<DecisionRecord, 'procedureId' | 'procedureVersion' | 'outcome'>,
): { proc: Procedure; node: OutcomeNode } | 'procedureChanged' | undefined {
  const proc = procedureOf(kb, decision.procedureId);
  if (!proc || proc.version !== decision.procedureVersion) return 'procedureChanged';
  const node = proc.nodes[decision.outcome.nodeId];
  return node?.type === 'outcome' ? { proc, node } : undefined;
}

/** Where the answers leave the walk, or undefined when they no longer fit the procedure. */
export function locateOrUndefined(proc: Procedure, answers: readonly Answer[], facts: Facts): Position | undefined {
  try {
    return locate(proc, answers, facts);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    return undefined;
  }
}

/**
 * Where a stored walk stands on this knowledge base: undefined when its procedure is gone; else the
 * procedure, with the position its answers reach, or no position when the procedure's version
 * changed or the answers no longer fit it (the walk must not be trusted then).
 */
export function walkPosition(kb: KnowledgeBase, walk: Walk): { proc: Procedure; position: Position | undefined } | undefined {
  const proc = procedureOf(kb, walk.procedureId);
  if (!proc) return undefined;
  return { proc, position: proc.version === walk.version ? locateOrUndefined(proc, walk.answers, walk.facts) : undefined };
}
