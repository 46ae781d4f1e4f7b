import type { DecisionCount, PathCounts } from './decisions.js';
import { pathSteps } from './decisionQuery.js';
import type { OutcomeKind, Procedure } from './types.js';
import { OUTCOME_KINDS } from './vocabulary.js';

/**
 * Outcome analytics for team leads, from counts the decision log gives: decisions per day (every
 * day of the period, zero-filled), per procedure and per outcome; and for one procedure, how many
 * dialogs passed each option and where operators left it. Pure.
 */

export type KindCounts = Record<OutcomeKind, number>;

export interface OutcomeStats {
  timeZone: string;
  perDay: { date: string; total: number; kinds: KindCounts }[];
  perProcedure: { id: string; title: string; total: number; kinds: KindCounts }[];
  perOutcome: { procedureId: string; nodeId: string; headline: string; kind: OutcomeKind; count: number }[];
}

const noKinds = (): KindCounts => Object.fromEntries(OUTCOME_KINDS.map((k) => [k, 0])) as KindCounts;

/** `days`: every date of the period, in order. */
export function outcomeStats(counts: readonly DecisionCount[], days: readonly string[], timeZone: string): OutcomeStats {
  const perDay = new Map(days.map((date) => [date, { date, total: 0, kinds: noKinds() }]));
  const perProcedure = new Map<string, OutcomeStats['perProcedure'][number]>();
  const perOutcome = new Map<string, OutcomeStats['perOutcome'][number]>();
  for (const c of counts) {
    const day = perDay.get(c.date);
    if (day) {
      day.total += c.count;
      day.kinds[c.kind] = (day.kinds[c.kind] ?? 0) + c.count;
    }
    let proc = perProcedure.get(c.procedureId);
    if (!proc) perProcedure.set(c.procedureId, (proc = { id: c.procedureId, title: c.procedureTitle, total: 0, kinds: noKinds() }));
    proc.total += c.count;
    proc.kinds[c.kind] = (proc.kinds[c.kind] ?? 0) + c.count;
    const key = `${c.procedureId}\n${c.nodeId}\n${c.kind}`;
    const outcome = perOutcome.get(key);
    if (outcome) outcome.count += c.count;
    else perOutcome.set(key, { procedureId: c.procedureId, nodeId: c.nodeId, headline: c.headline, kind: c.kind, count: c.count });
  }
  const byCount = <T extends { count?: number; total?: number }>(a: T, b: T) => (b.count ?? b.total ?? 0) - (a.count ?? a.total ?? 0);
  return {
    timeZone,
    perDay: [...perDay.values()],
    perProcedure: [...perProcedure.values()].sort((a, b) => byCount(a, b) || (a.id < b.id ? -1 : 1)),
    perOutcome: [...perOutcome.values()].sort((a, b) => byCount(a, b) || (`${a.procedureId}/${a.nodeId}` < `${b.procedureId}/${b.nodeId}` ? -1 : 1)),
  };
}

export interface ProcedureFunnel {
  id: string;
  title: string;
  /** Dialogs with a known end: decided or left. */
  started: number;
  decided: number;
  /** Cancelled, left for another situation, or «Ничего не подходит» with the procedure open. */
  abandoned: number;
  nodes: { nodeId: string; question: string; reached: number; abandonedHere: number; options: { optionId: string; label: string; count: number }[] }[];
  outcomes: { nodeId: string; headline: string; count: number }[];
}

/** The options of a question or check node, as the map labels them. */
function optionsOf(node: Procedure['nodes'][string]): { id: string; label: string }[] {
  if (node.type === 'question') return node.options.map((o) => ({ id: o.id, label: o.label }));
  if (node.type === 'check') return Object.keys(node.cases).map((id) => ({ id, label: node.ask?.options.find((o) => o.id === id)?.label ?? id }));
  return [];
}

/**
 * How a period's dialogs of `proc` went. A dialog reached a node when its path has a step there or
 * it left there; an option's count is the dialogs whose path took it. Options and nodes the
 * procedure no longer has (older decisions) are counted under the current procedure only where
 * they still exist.
 */
export function procedureFunnel(proc: Procedure, counts: PathCounts): ProcedureFunnel {
  const passed = new Map<string, number>(); // `node=option` → dialogs
  const reachedAt = new Map<string, number>();
  const leftAt = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  const walk = (path: string, n: number) => {
    for (const s of pathSteps(path)) {
      add(passed, `${s.nodeId}=${s.optionId}`, n);
      add(reachedAt, s.nodeId, n);
    }
  };
  const outcomes = new Map<string, { nodeId: string; headline: string; count: number }>();
  let decided = 0;
  for (const d of counts.decisions) {
    decided += d.count;
    walk(d.path, d.count);
    const node = proc.nodes[d.nodeId];
    const row = outcomes.get(d.nodeId);
    if (row) row.count += d.count;
    else outcomes.set(d.nodeId, { nodeId: d.nodeId, headline: node?.type === 'outcome' ? node.headline : d.headline, count: d.count });
  }
  let abandoned = 0;
  for (const u of counts.unanswered) {
    // A changed answer is no dialog left: the dialog went on (its decision, if any, is counted above).
    if (u.reason === 'corrected') continue;
    abandoned += u.count;
    walk(u.path, u.count);
    if (u.nodeId) {
      add(leftAt, u.nodeId, u.count);
      add(reachedAt, u.nodeId, u.count);
    }
  }
  const nodes = Object.entries(proc.nodes)
    .filter(([, node]) => node.type !== 'outcome')
    .map(([nodeId, node]) => ({
      nodeId,
      question: node.type === 'outcome' ? '' : node.text,
      reached: reachedAt.get(nodeId) ?? 0,
      abandonedHere: leftAt.get(nodeId) ?? 0,
      options: optionsOf(node).map((o) => ({ optionId: o.id, label: o.label, count: passed.get(`${nodeId}=${o.id}`) ?? 0 })),
    }));
  return {
    id: proc.id,
    title: proc.title,
    started: decided + abandoned,
    decided,
    abandoned,
    nodes,
    outcomes: [...outcomes.values()].sort((a, b) => b.count - a.count || (a.nodeId < b.nodeId ? -1 : 1)),
  };
}

/** The counts a procedure's map draws: dialogs per edge (`node=option`) and per node. */
export function mapCounts(funnel: ProcedureFunnel): { edges: Map<string, number>; nodes: Map<string, string> } {
  const edges = new Map<string, number>();
  const nodes = new Map<string, string>();
  for (const n of funnel.nodes) {
    for (const o of n.options) edges.set(`${n.nodeId}=${o.optionId}`, o.count);
    nodes.set(n.nodeId, `Дошли: ${n.reached}${n.abandonedHere ? `, ушли здесь: ${n.abandonedHere}` : ''}`);
  }
  for (const o of funnel.outcomes) nodes.set(o.nodeId, `Решений: ${o.count}`);
  return { edges, nodes };
}
