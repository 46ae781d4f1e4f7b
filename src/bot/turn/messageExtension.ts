import { CardFactory, type MessagingExtensionAttachment, type MessagingExtensionQuery, type MessagingExtensionResponse } from 'botbuilder';
import type { Answer } from '../../domain/engine.js';
import type { SearchHit, SearchResult } from '../../domain/search/index.js';
import type { KnowledgeBase, OutcomeNode, Procedure } from '../../domain/types.js';
import { procedureOf } from '../../domain/walkPosition.js';
import type { CardAction } from '../../dialogs/input.js';
import { quoted } from '../../dialogs/cards.js';

/**
 * The Teams search message extension (manifest `composeExtensions`, command `search`, parameter
 * `query`): an operator types a few words in the compose box and inserts the procedure's start card
 * or an FAQ answer into any chat. It asks the same search the bot asks, and keeps no state: every
 * `composeExtension/query` is answered from its own text.
 */

/** The command id and parameter name in appPackage/manifest.json. */
export const SEARCH_COMMAND = 'search';
export const QUERY_PARAMETER = 'query';
/** Topics shown when the box is empty: a few to tap, not the whole directory (typing finds the rest). */
const TOPICS_PAGE = 8;
/** Longer text is not a search query; the rest is ignored rather than refused. */
const MAX_QUERY = 500;

const messageExtensionText = {
  nothingFound: (query: string) =>
    `По запросу «${query.length > 80 ? `${query.slice(0, 79)}…` : query}» в процедурах ничего нет — я не буду угадывать. Опишите ситуацию другими словами или уточните у руководителя группы (тимлида).`,
  notAQuestion: 'Опишите ситуацию на звонке несколькими словами, например «клиент не согласен с решением по заявке».',
  unknownCommand: 'Эта команда поиска устарела: обновите приложение «Помощник оператора» в Teams.',
  start: 'Начать',
  fromQuery: 'Из запроса',
  answer: 'Ответ из FAQ',
  source: 'Источник',
  procedure: 'Процедура',
};

interface Searcher {
  query(text: string): SearchResult;
}

/** The text typed in the compose box; empty on the initial run (the box opened, nothing typed yet). */
function queryText(query: MessagingExtensionQuery | undefined): string {
  // The invoke's value is whatever the client sent: shapes are checked, not trusted.
  const param = Array.isArray(query?.parameters) ? query.parameters.find((p) => p?.name === QUERY_PARAMETER) : undefined;
  return typeof param?.value === 'string' ? param.value.trim().slice(0, MAX_QUERY) : '';
}

/**
 * The answer to a `composeExtension/query`: a list of results (a thumbnail preview each, and the
 * Adaptive Card inserted when it is picked), or a Russian message when nothing fits.
 */
export function messageExtensionResponse(query: MessagingExtensionQuery | undefined, kb: KnowledgeBase, search: Searcher): MessagingExtensionResponse {
  if (query?.commandId !== undefined && query.commandId !== SEARCH_COMMAND) return message(messageExtensionText.unknownCommand);
  const text = queryText(query);
  if (!text) return results(topics(kb, query));
  const result = search.query(text);
  switch (result.type) {
    case 'match':
      return results([resultFor(kb, result.hit)]);
    case 'ambiguous':
      return results(result.candidates.map((hit) => resultFor(kb, hit)));
    case 'smalltalk':
      return message(messageExtensionText.notAQuestion);
    case 'none':
      // Nearest topics are not an answer: the box shows the message, never an unrelated procedure.
      return message(messageExtensionText.nothingFound(text));
  }
}

const results = (attachments: MessagingExtensionAttachment[]): MessagingExtensionResponse => ({
  composeExtension: { type: 'result', attachmentLayout: 'list', attachments },
});

const message = (text: string): MessagingExtensionResponse => ({ composeExtension: { type: 'message', text } });

/** Procedures in knowledge-base order, a page at a time (Teams' `skip` and `count`, at most {@link TOPICS_PAGE}). */
function topics(kb: KnowledgeBase, query: MessagingExtensionQuery | undefined): MessagingExtensionAttachment[] {
  const skip = Math.max(0, Math.floor(Number(query?.queryOptions?.skip) || 0));
  const count = Math.min(TOPICS_PAGE, Math.max(1, Math.floor(Number(query?.queryOptions?.count) || TOPICS_PAGE)));
  return kb.procedures.slice(skip, skip + count).map((p) => startResult(p, []));
}

function resultFor(kb: KnowledgeBase, hit: SearchHit): MessagingExtensionAttachment {
  const proc = procedureOf(kb, hit.procedureId)!;
  const node = hit.faq ? proc.nodes[hit.faq] : undefined;
  if (node?.type === 'outcome') return faqResult(kb, proc, hit.description, node);
  return startResult(proc, hit.answers);
}

const withPreview = (card: Record<string, unknown>, title: string, text: string): MessagingExtensionAttachment => ({
  ...CardFactory.adaptiveCard(card),
  preview: CardFactory.thumbnailCard(title, text),
});

const adaptiveCard = (body: unknown[], actions: unknown[] = []) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  msteams: { width: 'Full' },
  body,
  ...(actions.length ? { actions } : {}),
});

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text, wrap: true, ...extra });

/** What the query already answered, as «question — answer» (the dialog will not ask those again). */
function answered(proc: Procedure, answers: readonly Answer[]): { title: string; value: string }[] {
  return answers.flatMap((a) => {
    const node = proc.nodes[a.nodeId];
    const option = node?.type === 'question' ? node.options.find((o) => o.id === a.optionId) : undefined;
    return node?.type === 'question' && option ? [{ title: node.text, value: option.label }] : [];
  });
}

/** The procedure's start card: its title and summary, what the query already said, and «Начать». */
function startResult(proc: Procedure, answers: readonly Answer[]): MessagingExtensionAttachment {
  const given = answered(proc, answers);
  const start: CardAction = { action: 'start', procedureId: proc.id, ...(answers.length ? { answers: answers.map(({ nodeId, optionId }) => ({ nodeId, optionId })) } : {}) };
  const card = adaptiveCard(
    [
      textBlock(proc.title, { size: 'Large', weight: 'Bolder' }),
      textBlock(proc.summary, { spacing: 'Small' }),
      ...(given.length
        ? [textBlock(messageExtensionText.fromQuery, { weight: 'Bolder', spacing: 'Medium' }), ...given.map((g) => textBlock(`${g.title} — ${g.value}`, { spacing: 'None' }))]
        : []),
      textBlock(`${messageExtensionText.procedure}: «${proc.section}»`, { size: 'Small', isSubtle: true, spacing: 'Medium' }),
    ],
    [{ type: 'Action.Submit', title: messageExtensionText.start, data: start }],
  );
  return withPreview(card, proc.title, proc.summary);
}

/**
 * An FAQ entry: the answer first (large), then what to do, and the question and its passage behind
 * one «Источник» toggle, so the inserted message stays short.
 */
function faqResult(kb: KnowledgeBase, proc: Procedure, question: string, node: OutcomeNode): MessagingExtensionAttachment {
  const steps = node.actions?.length ? node.actions.map((a, i) => `${i + 1}. ${a}`) : (node.details ?? []);
  const line = node.line ? kb.lines.find((l) => l.id === node.line) : undefined;
  const sourceId = 'source';
  const card = adaptiveCard(
    [
      textBlock(`${messageExtensionText.answer}: ${question}`, { size: 'Small', isSubtle: true }),
      textBlock(node.headline, { size: 'Large', weight: 'Bolder', spacing: 'None' }),
      ...steps.map((s, i) => textBlock(s, { spacing: i ? 'Small' : 'Medium' })),
      ...(node.phrases ?? []).map((p) => textBlock(p.label ? `${p.label}: ${p.text}` : p.text, { weight: 'Bolder', spacing: 'Medium' })),
      ...(line ? [textBlock([line.name, line.number, line.hours].filter(Boolean).join(' · '), { weight: 'Bolder', spacing: 'Medium' })] : []),
      {
        type: 'Container',
        id: sourceId,
        isVisible: false,
        spacing: 'Medium',
        items: [
          // The question is already on top: its own quote is not repeated.
          ...node.citations.filter((c) => c.quote !== question).map((c, i) => textBlock(quoted(c.quote), { size: 'Small', spacing: i ? 'Small' : 'None' })),
          textBlock(`${proc.title} · «${proc.section}»`, { size: 'Small', isSubtle: true, spacing: 'Small' }),
        ],
      },
    ],
    [{ type: 'Action.ToggleVisibility', title: messageExtensionText.source, targetElements: [sourceId] }],
  );
  return withPreview(card, question, node.headline);
}
