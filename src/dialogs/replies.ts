import { MessageFactory, type Activity } from 'botbuilder';
import type { Reply } from '../domain/step.js';
import type { KnowledgeBase } from '../domain/types.js';
import { outcomeCard, questionCard, type FactNotes } from './cards.js';
import { disambiguationCard, helpCard, linesCard, nearestCard, phrasesCard, topicsCard } from './directories.js';
import { t } from './strings.js';

/** At most this many nearest topics are offered when nothing answers a question. */
const MAX_NEAREST = 3;

const text = (value: string): Partial<Activity> => ({ type: 'message', text: value, inputHint: 'acceptingInput' });

/** The step's replies as the activities an operator sees, in order: texts and Adaptive Cards. */
export function renderReplies(kb: KnowledgeBase, replies: readonly Reply[], notes: FactNotes = {}): Partial<Activity>[] {
  return replies.map((r) => {
    switch (r.type) {
      case 'notice':
        return text(t[r.notice]);
      case 'switched':
        return text(t.switchedProcedure(r.title));
      case 'dialogHelp':
        return text(t.dialogHelp(r.question, r.help));
      case 'smalltalk':
        return text(r.kind === 'greeting' ? t.greeting : t.thanks);
      case 'question':
        return MessageFactory.attachment(questionCard(r.procedure, r.nodeId, r.node, r.path, r.cardId, r.answers.length, notes, r.answers));
      case 'outcome':
        return MessageFactory.attachment(outcomeCard(kb, r.procedure, r.node, r.path, r.decisionId, notes, { answers: r.answers, values: r.values }));
      case 'directory':
        return MessageFactory.attachment(directories[r.directory](kb));
      case 'disambiguation':
        return MessageFactory.attachment(disambiguationCard(r.candidates));
      case 'nearest':
        return MessageFactory.attachment(nearestCard(r.topics.slice(0, MAX_NEAREST)));
    }
  });
}

const directories = { topics: topicsCard, lines: linesCard, phrases: phrasesCard, help: helpCard } as const;
