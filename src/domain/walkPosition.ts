import { EngineError, locate, type Answer, type Facts, type Position } from './engine.js';
import type { KnowledgeBase, Procedure } from './types.js';
import type { Walk } from './walk.js';

const procedureIndex = new WeakMap<KnowledgeBase, Map<string, Procedure>>();

/** The procedure with this id in the knowledge base, looked up through an index built once per base. */
export function procedureOf(kb: KnowledgeBase, id: string): Procedure | undefined {
  let index = procedureIndex.get(kb);
  if (!index) procedureIndex.set(kb, (index = new Map(kb.procedures.map((p) => [p.id, p]))));
  return index.get(id);
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
