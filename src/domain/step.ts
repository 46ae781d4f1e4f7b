import type { CardAction } from './cardActions.js';
import type { SmallTalk } from './understanding/smalltalk.js';
import { cardSummary, type CardSummary } from './cardSummary.js';
import type { Command } from './commands.js';
import type { DecisionRecord } from './decisions.js';
import { EngineError, locate, optionOf, type Answer, type Facts, type PathStep } from './engine.js';
import { matchOption } from './optionMatch.js';
import type { SearchHit, SearchResult } from './search/index.js';
import type { KnowledgeBase, OutcomeNode, Procedure, QuestionNode } from './types.js';
import { maskedText, type UnansweredDraft, type UnansweredReason } from './unanswered.js';
import { decisionIdOf, readWalk, unansweredIdOf, type Walk } from './walk.js';
import { locateOrUndefined, procedureOf, walkPosition } from './walkPosition.js';

/**
 * One operator turn, decided once: a pure transition from (knowledge base, walk, input, context) to
 * the next walk, the replies to show and the effects to run, in the manner of a state machine's
 * transition. It reads no state, clock or files: the adapter passes the stored walk in, the facts
 * of this moment, the search, and fresh ids; it stores the walk that comes back, runs the effects in
 * order and renders the replies.
 */

export type { Walk };

/** What the operator did, parsed once from the activity by the adapter. */
export type StepInput =
  | { kind: 'click'; action: CardAction }
  | { kind: 'command'; command: Command }
  | { kind: 'text'; text: string }
  /** A click whose data the bot did not put on any card. */
  | { kind: 'invalid' };

export interface StepContext {
  /** Facts the bot decides itself at this moment (e.g. telesales open); kept by a walk started now. */
  facts: Facts;
  search: { query(text: string): SearchResult };
  /** A fresh id for a question card shown this turn. */
  newId: string;
  /**
   * Stable for the stored conversation this turn starts from: decision ids derive from it, so a
   * turn repeated after a failed save logs the same decision, not a second one.
   */
  turnId: string;
}

/** Plain-text replies, by meaning; src/dialogs words them. */
export type NoticeKey =
  | 'staleCard'
  | 'staleCardNoDialog'
  | 'invalidClick'
  | 'firstQuestion'
  | 'cancelled'
  | 'nothingToCancel'
  | 'unknownProcedure'
  | 'procedureChanged'
  | 'notFound'
  | 'nothingFits'
  | 'notUnderstood'
  | 'emptyMessage'
  | 'thanksHelpful'
  | 'flaggedWrong'
  | 'unknownDecision'
  | 'notYourDecision'
  | 'feedbackUnchanged'
  | 'helpfulAfterWrong';

export type Reply =
  | { type: 'notice'; notice: NoticeKey }
  | { type: 'switched'; title: string }
  | { type: 'dialogHelp'; question: string; help?: string }
  | { type: 'smalltalk'; kind: SmallTalk }
  | { type: 'question'; procedure: Procedure; nodeId: string; node: QuestionNode; path: PathStep[]; answers: Answer[]; cardId: string }
  | { type: 'outcome'; procedure: Procedure; nodeId: string; node: OutcomeNode; path: PathStep[]; answers: Answer[]; decisionId: string; values?: Record<string, string> }
  /** A question card that is no longer live, as it reads now: no buttons. */
  | { type: 'cardSummary'; summary: CardSummary }
  | { type: 'directory'; directory: 'topics' | 'lines' | 'phrases' | 'help' }
  /** `text`: the message, carried by «Ничего не подходит» so the gap report can show it. */
  | { type: 'disambiguation'; candidates: SearchHit[]; text: string }
  /** Nothing in the procedures: the few nearest topics to start, or only the way to the topic list. */
  | { type: 'nearest'; topics: SearchHit[] };

/** A decision as the step knows it; the adapter adds who, where and when. */
export type DecisionDraft = Omit<DecisionRecord, 'at' | 'operator' | 'conversationId' | 'formValues'>;

export type Effect =
  /** Must be durable before the replies are sent: the outcome card carries its id. */
  | { type: 'appendDecision'; decision: DecisionDraft }
  | { type: 'recordFeedback'; decisionId: string; verdict: 'helpful' | 'wrong'; comment?: string }
  /** Send the form card (the adapter checks the decision in the log). */
  | { type: 'openForm'; formId: string; decisionId: string; values?: Record<string, string> }
  /** A question the bot could not answer; runs after the replies are sent (see {@link runsAfterReplies}). */
  | { type: 'recordUnanswered'; unanswered: UnansweredDraft };

/** Effects about what the operator was told, recorded only once they were told it. */
export const runsAfterReplies = (effect: Effect): boolean => effect.type === 'recordUnanswered';

export interface StepResult {
  walk: Walk | undefined;
  replies: Reply[];
  effects: Effect[];
}

/** Mid-dialog, only a clear match of a longer message counts as a new situation: a mistyped answer is re-asked. */
const SWITCH_MIN_WORDS = 3;

const notice = (key: NoticeKey): Reply => ({ type: 'notice', notice: key });
const stay = (walk: Walk | undefined, ...replies: Reply[]): StepResult => ({ walk, replies, effects: [] });

/** Where an open walk stands, for an unanswered record: its procedure, question and the steps so far. */
type Place = Pick<UnansweredDraft, 'procedureId' | 'nodeId' | 'path'>;
const placeOf = (procedureId: string, position: { nodeId: string; path: readonly PathStep[] }): Place => ({
  procedureId,
  nodeId: position.nodeId,
  path: position.path.map(({ nodeId, optionId }) => ({ nodeId, optionId })),
});

function unanswered(ctx: StepContext, reason: UnansweredReason, text: string | undefined, place: Place = {}): Effect {
  const masked = text === undefined ? '' : maskedText(text);
  return { type: 'recordUnanswered', unanswered: { id: unansweredIdOf(ctx.turnId), reason, ...(masked ? { text: masked } : {}), ...place } };
}

/**
 * An answer taken from the message that the operator reopens («Изменить»): on the gap report as its
 * question, the words it was read from and what was taken («Какая это попытка: «вторая попытка,
 * сегодня снова» → «1-я или 2-я попытка»»). Nothing for an answer that was tapped, or one the
 * procedure no longer has.
 */
function corrected(ctx: StepContext, proc: Procedure, before: readonly Answer[], revised: Answer): Effect[] {
  const node = proc.nodes[revised.nodeId];
  const option = revised.from === 'message' && node?.type === 'question' ? optionOf(node, revised.optionId) : undefined;
  if (!option || node?.type !== 'question') return [];
  const taken = revised.evidence ? `«${revised.evidence}» → «${option.label}»` : `→ «${option.label}»`;
  const text = `${node.text.replace(/\s*\?$/, '')}: ${taken}`;
  const path = [...before, revised].map(({ nodeId, optionId }) => ({ nodeId, optionId }));
  return [unanswered(ctx, 'corrected', text, { procedureId: proc.id, nodeId: revised.nodeId, path })];
}

/** The place of a readable walk on an unchanged procedure, else none. */
function walkPlace(kb: KnowledgeBase, walk: Walk | undefined): Place {
  const at = walk && walkPosition(kb, walk);
  return at?.position?.type === 'question' ? placeOf(at.proc.id, at.position) : {};
}

/** Decides one turn. `walk` is whatever was stored: an unreadable or outdated one is handled, never trusted. */
export function step(kb: KnowledgeBase, stored: unknown, input: StepInput, ctx: StepContext): StepResult {
  const walk = readWalk(stored);
  switch (input.kind) {
    case 'invalid':
      return walk ? continueWalk(kb, walk, input, ctx) : stay(walk, notice('invalidClick'));
    case 'command':
      return command(kb, walk, input.command, ctx);
    case 'click':
      return click(kb, walk, input.action, ctx);
    case 'text':
      if (walk) return continueWalk(kb, walk, input, ctx);
      return input.text ? question(kb, input.text, ctx) : stay(walk, notice('emptyMessage'));
  }
}

function command(kb: KnowledgeBase, walk: Walk | undefined, cmd: Command, ctx: StepContext): StepResult {
  switch (cmd) {
    case 'topics':
    case 'lines':
    case 'phrases':
      return stay(walk, { type: 'directory', directory: cmd });
    case 'help':
      return walk ? continueWalk(kb, walk, { kind: 'command', command: cmd }, ctx) : stay(walk, { type: 'directory', directory: 'help' });
    case 'back':
    case 'restart':
    case 'cancel':
      return walk ? continueWalk(kb, walk, { kind: 'command', command: cmd }, ctx) : stay(walk, notice('nothingToCancel'));
  }
}

function click(kb: KnowledgeBase, walk: Walk | undefined, action: CardAction, ctx: StepContext): StepResult {
  switch (action.action) {
    case 'topics':
    case 'lines':
    case 'phrases':
      return stay(walk, { type: 'directory', directory: action.action });
    case 'nothingFits':
      return { walk, replies: [notice('nothingFits'), { type: 'directory', directory: 'topics' }], effects: [unanswered(ctx, 'nothingFits', action.text, walkPlace(kb, walk))] };
    case 'feedback':
      return {
        walk,
        replies: [notice(action.verdict === 'wrong' ? 'flaggedWrong' : 'thanksHelpful')],
        effects: [{ type: 'recordFeedback', decisionId: action.decisionId, verdict: action.verdict, ...(action.comment ? { comment: action.comment } : {}) }],
      };
    case 'formOpen':
      return { walk, replies: [], effects: [{ type: 'openForm', formId: action.formId, decisionId: action.decisionId, ...(action.values ? { values: action.values } : {}) }] };
    case 'start': {
      const proc = procedureOf(kb, action.procedureId);
      if (!proc) return stay(undefined, notice('unknownProcedure'));
      // The operator chose the procedure on a card, whichever card it was.
      const begun = begin(kb, proc, action.answers ?? [], { facts: ctx.facts, foundBy: 'tap' }, ctx);
      return action.revised ? { ...begun, effects: [...begun.effects, ...corrected(ctx, proc, action.answers ?? [], action.revised)] } : begun;
    }
    case 'refresh':
      return refresh(kb, walk, action);
    case 'answer':
    case 'back':
    case 'restart':
    case 'cancel':
    case 'help':
    case 'revise':
      // A click on a question card: only the walk that card belongs to can judge it.
      return walk ? continueWalk(kb, walk, { kind: 'click', action }, ctx) : stay(walk, notice('staleCardNoDialog'));
    default:
      // Form submits and team-lead cards are handled before the step; here they are out of place.
      return stay(walk, notice('invalidClick'));
  }
}

/** Teams asks for a question card as it should read now: the same card while it is live, else its summary. Nothing changes. */
function refresh(kb: KnowledgeBase, walk: Walk | undefined, card: Extract<CardAction, { action: 'refresh' }>): StepResult {
  const at = walk && walkPosition(kb, walk);
  const position = at?.position;
  if (walk && at && position?.type === 'question' && walk.cardId === card.cardId)
    return stay(walk, { type: 'question', procedure: at.proc, nodeId: position.nodeId, node: position.node, path: position.path, answers: walk.answers, cardId: walk.cardId });
  const now = at && position ? { procedureId: at.proc.id, path: position.path } : undefined;
  return stay(walk, { type: 'cardSummary', summary: cardSummary(card, now, walk !== undefined) });
}

/** Free text with no walk open: the question goes to search. */
function question(kb: KnowledgeBase, text: string, ctx: StepContext): StepResult {
  const result = ctx.search.query(text);
  switch (result.type) {
    case 'match': {
      const proc = procedureOf(kb, result.hit.procedureId);
      if (!proc) return stay(undefined, notice('unknownProcedure'));
      return beginHit(kb, proc, result.hit, ctx);
    }
    case 'ambiguous':
      return stay(undefined, { type: 'disambiguation', candidates: result.candidates, text: maskedText(text) });
    case 'smalltalk':
      return stay(undefined, { type: 'smalltalk', kind: result.kind });
    case 'none':
      return { walk: undefined, replies: [notice('notFound'), { type: 'nearest', topics: result.nearest ?? [] }], effects: [unanswered(ctx, 'noMatch', text)] };
  }
}

/** Answers search took from the message are marked so, for the card and the decision record. */
const fromMessage = (answers: readonly Answer[]): Answer[] => answers.map((a) => (a.from ? a : { ...a, from: 'message' }));

/**
 * Starts the procedure of a search hit with what the message states: its answers and form values.
 * Answers past a check node hold only where this moment's facts lead; the rest are asked.
 */
function beginHit(kb: KnowledgeBase, proc: Procedure, hit: Extract<SearchResult, { type: 'match' }>['hit'], ctx: StepContext, before: Reply[] = []): StepResult {
  let answers = fromMessage(hit.answers);
  while (answers.length > 0 && !locateOrUndefined(proc, answers, ctx.facts)) answers = answers.slice(0, -1);
  return begin(kb, proc, answers, { facts: ctx.facts, values: hit.values, foundBy: hit.foundBy }, ctx, before);
}

/** What a walk keeps from its start to its decision: the facts, the form values the message gave, how the procedure was chosen. */
type Carried = Pick<Walk, 'facts' | 'values' | 'foundBy'>;
const carriedOf = (walk: Walk): Carried => ({ facts: walk.facts, values: walk.values, foundBy: walk.foundBy });

/**
 * Starts (or restarts) a procedure with the answers known so far: the next question, or the outcome
 * and its decision. Answers that no longer fit (the procedure was edited) restart it from the first
 * question rather than guess.
 */
function begin(kb: KnowledgeBase, proc: Procedure, answers: Answer[], carried: Carried, ctx: StepContext, before: Reply[] = []): StepResult {
  const { facts, values, foundBy } = carried;
  let position;
  try {
    position = locate(proc, answers, facts);
  } catch (e) {
    if (!(e instanceof EngineError) || answers.length === 0) throw e;
    return begin(kb, proc, [], carried, ctx, [...before, notice('procedureChanged')]);
  }
  if (position.type === 'question') {
    const walk: Walk = { procedureId: proc.id, version: proc.version, answers, facts, cardId: ctx.newId, ...(values ? { values } : {}), ...(foundBy ? { foundBy } : {}) };
    return { walk, replies: [...before, { type: 'question', procedure: proc, nodeId: position.nodeId, node: position.node, path: position.path, answers, cardId: ctx.newId }], effects: [] };
  }
  const decisionId = decisionIdOf(ctx.turnId, proc, position.nodeId, answers);
  const decision: DecisionDraft = {
    id: decisionId,
    procedureId: proc.id,
    procedureVersion: proc.version,
    procedureTitle: proc.title,
    kbVersion: kb.version,
    path: position.path,
    outcome: { nodeId: position.nodeId, kind: position.node.kind, headline: position.node.headline },
    citations: position.node.citations,
    ...(foundBy ? { foundBy } : {}),
  };
  return {
    walk: undefined,
    replies: [...before, { type: 'outcome', procedure: proc, nodeId: position.nodeId, node: position.node, path: position.path, answers, decisionId, ...(values ? { values } : {}) }],
    effects: [{ type: 'appendDecision', decision }],
  };
}

type WalkClick = Extract<CardAction, { action: 'answer' | 'back' | 'restart' | 'cancel' | 'help' | 'revise' }>;
/** Of the commands, only navigation and help reach an open walk; the directories are answered without it. */
type WalkCommand = Extract<Command, 'back' | 'restart' | 'cancel' | 'help'>;
type WalkInput = Extract<StepInput, { kind: 'text' | 'invalid' }> | { kind: 'command'; command: WalkCommand } | { kind: 'click'; action: WalkClick };

/** A turn about the open walk: an answer, navigation, help, or something that is none of them. */
function continueWalk(kb: KnowledgeBase, walk: Walk, input: WalkInput, ctx: StepContext): StepResult {
  const at = walkPosition(kb, walk);
  if (!at) return stay(undefined, notice('unknownProcedure'));
  const { proc, position } = at;
  // The knowledge base changed under the walk: its answers may mean something else now.
  if (position?.type !== 'question') return begin(kb, proc, [], carriedOf(walk), ctx, [notice('procedureChanged')]);

  const current: Reply = { type: 'question', procedure: proc, nodeId: position.nodeId, node: position.node, path: position.path, answers: walk.answers, cardId: walk.cardId };
  const again = (key: NoticeKey) => stay(walk, notice(key), current);
  const advance = (optionId: string) => begin(kb, proc, [...walk.answers, { nodeId: position.nodeId, optionId, from: 'tap' }], carriedOf(walk), ctx);
  const restartWith = (answers: Answer[]) => begin(kb, proc, answers, carriedOf(walk), ctx);

  let nav: WalkCommand;
  if (input.kind === 'invalid') return again('invalidClick');
  if (input.kind === 'click') {
    const a = input.action;
    if (a.cardId !== walk.cardId) return again('staleCard');
    if (a.action === 'answer') return a.nodeId === position.nodeId && optionOf(position.node, a.optionId) ? advance(a.optionId) : again('notUnderstood');
    if (a.action === 'revise') {
      const at = walk.answers.findIndex((x) => x.nodeId === a.nodeId);
      if (at < 0) return again('staleCard');
      const reopened = restartWith(walk.answers.slice(0, at));
      return { ...reopened, effects: [...reopened.effects, ...corrected(ctx, proc, walk.answers.slice(0, at), walk.answers[at])] };
    }
    nav = a.action;
  } else if (input.kind === 'command') {
    nav = input.command;
  } else {
    const option = matchOption(position.node.options, input.text);
    if (option) return advance(option.id);
    // Not an answer: maybe the operator moved on to a new situation mid-dialog.
    if (input.text.split(/\s+/).length >= SWITCH_MIN_WORDS) {
      const result = ctx.search.query(input.text);
      const next = result.type === 'match' ? procedureOf(kb, result.hit.procedureId) : undefined;
      if (next && result.type === 'match') {
        const switched = beginHit(kb, next, result.hit, ctx, [{ type: 'switched', title: next.title }]);
        return { ...switched, effects: [...switched.effects, unanswered(ctx, 'switched', input.text, placeOf(proc.id, position))] };
      }
    }
    return again('notUnderstood');
  }

  switch (nav) {
    case 'help':
      return stay(walk, { type: 'dialogHelp', question: position.node.text, ...(position.node.help ? { help: position.node.help } : {}) });
    case 'cancel':
      return { walk: undefined, replies: [notice('cancelled')], effects: [unanswered(ctx, 'cancelled', undefined, placeOf(proc.id, position))] };
    case 'back':
      return walk.answers.length === 0 ? again('firstQuestion') : restartWith(walk.answers.slice(0, -1));
    case 'restart':
      return restartWith([]);
  }
}
