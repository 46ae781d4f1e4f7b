import { isFoundBy, type FoundBy } from './decisions.js';
import type { Answer, Facts } from './engine.js';
import type { Procedure } from './types.js';
import { pathKey } from './decisionQuery.js';

/**
 * What a conversation stores between turns while a procedure is open: only what cannot be derived
 * from the knowledge base (no question or option text), a few hundred bytes.
 */
export interface Walk {
  procedureId: string;
  /** The procedure version the answers belong to: a different one restarts the walk. */
  version: number;
  answers: Answer[];
  /** Facts decided when the walk started (e.g. telesales open), so every step replays the same path. */
  facts: Facts;
  /** The question card in front of the operator; a click on any other card is out of date. */
  cardId: string;
  /** Form-field values the operator's message gave, for the outcome's form card. */
  values?: Record<string, string>;
  /** How the procedure was chosen, for the decision the walk ends in; walks stored before it was kept lack it. */
  foundBy?: FoundBy;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringRecord = (v: unknown): v is Record<string, string> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isString);

function answerOf(v: unknown): Answer | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const a = v as Record<string, unknown>;
  if (!isString(a.nodeId) || !isString(a.optionId)) return undefined;
  if (a.from !== undefined && a.from !== 'message' && a.from !== 'tap') return undefined;
  if (a.evidence !== undefined && !isString(a.evidence)) return undefined;
  return { nodeId: a.nodeId, optionId: a.optionId, ...(a.from ? { from: a.from } : {}), ...(a.evidence ? { evidence: a.evidence } : {}) };
}

/**
 * A stored walk as this version of the bot reads it; anything else (a document from an older
 * version, a hand edit) is no walk, so the conversation starts cleanly instead of failing.
 */
export function readWalk(v: unknown): Walk | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const w = v as Record<string, unknown>;
  if (!isString(w.procedureId) || typeof w.version !== 'number' || !isString(w.cardId) || !Array.isArray(w.answers) || !isStringRecord(w.facts)) return undefined;
  const answers = w.answers.map(answerOf);
  if (answers.some((a) => !a)) return undefined;
  if (w.values !== undefined && !isStringRecord(w.values)) return undefined;
  // Only the log reads it: a value this version does not know is dropped, not the walk.
  const foundBy = isFoundBy(w.foundBy) ? { foundBy: w.foundBy } : {};
  return { procedureId: w.procedureId, version: w.version, answers: answers as Answer[], facts: w.facts, cardId: w.cardId, ...(w.values ? { values: w.values } : {}), ...foundBy };
}

/** 32-bit FNV-1a of a string, from a given basis (two bases give 64 bits). */
function fnv1a(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The decision id of an outcome reached in this turn: the turn's id (unguessable, fixed for the
 * stored conversation the turn started from) and what was decided. The same turn repeated after a
 * failed save gets the same id, and the log keeps one decision; another outcome gets another id.
 */
export function decisionIdOf(turnId: string, proc: Procedure, nodeId: string, answers: readonly Answer[]): string {
  const what = `${proc.id}@${proc.version}/${nodeId}/${pathKey(answers)}`;
  return `${turnId.slice(0, 16)}${fnv1a(what, 0x811c9dc5).toString(36)}${fnv1a(what, 0x50c5d1f).toString(36)}`;
}

/** The id of the unanswered question recorded in this turn (at most one per turn): a repeated turn records it once. */
export const unansweredIdOf = (turnId: string): string => `u${turnId.slice(0, 16)}`;
