import { MessageFactory, type Activity, type Attachment } from 'botbuilder';
import type { Reply } from '../domain/step.js';
import type { KnowledgeBase } from '../domain/types.js';
import type { CardSummary } from '../domain/cardSummary.js';
import { outcomeCard, questionCard, readOnlyCard, type FactNotes } from './cards.js';
import { stampOwner, type DialogOwner } from './dialogOwner.js';
import { disambiguationCard, helpCard, linesCard, nearestCard, phrasesCard, topicsCard } from './directories.js';
import { t } from './strings.js';

/** At most this many nearest topics are offered when nothing answers a question. */
const MAX_NEAREST = 3;

const text = (value: string): Partial<Activity> => ({ type: 'message', text: value, inputHint: 'acceptingInput' });

/**
 * The step's replies as the activities an operator sees, in order: texts and Adaptive Cards. With an
 * `owner` (a group chat or channel) the dialog's cards name it and their buttons carry its id;
 * `userId` (the person the turn is from) is whom Teams refreshes question cards for.
 */
export function renderReplies(kb: KnowledgeBase, replies: readonly Reply[], notes: FactNotes = {}, owner?: DialogOwner, userId = ''): Partial<Activity>[] {
  const owned = (card: Attachment) => (owner ? stampOwner(card, owner.id) : card);
  return replies.map((r) => {
    switch (r.type) {
      case 'notice':
        return text(t[r.notice]);
      case 'switched':
        return text(t.switchedProcedure(r.title));
      case 'dialogHelp':
        return text(t.dialogHelp(r.question, r.help));
      case 'smalltalk':
        return text(t[r.kind]);
      case 'question':
        return MessageFactory.attachment(owned(questionCard(r.procedure, r.nodeId, r.node, r.path, r.cardId, r.answers.length, notes, r.answers, owner?.name, userId)));
      case 'outcome':
        return MessageFactory.attachment(owned(outcomeCard(kb, r.procedure, r.node, r.path, r.decisionId, notes, { answers: r.answers, values: r.values, owner: owner?.name })));
      case 'cardSummary':
        return MessageFactory.attachment(summaryCard(r.summary));
      case 'directory':
        return MessageFactory.attachment(directories[r.directory](kb));
      case 'disambiguation':
        return MessageFactory.attachment(disambiguationCard(r.candidates, r.text));
      case 'nearest':
        return MessageFactory.attachment(nearestCard(r.topics.slice(0, MAX_NEAREST)));
    }
  });
}

/** What a question card that is no longer live shows instead: the answer it got, or where the dialog went. */
export function summaryCard(summary: CardSummary): Attachment {
  return readOnlyCard(summary.kind === 'answered' ? t.cardAnswered(summary.question, summary.answer) : summary.kind === 'replaced' ? t.cardReplaced : t.cardClosed);
}

const directories = { topics: topicsCard, lines: linesCard, phrases: phrasesCard, help: helpCard } as const;
