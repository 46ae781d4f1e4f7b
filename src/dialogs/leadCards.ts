import { CardFactory, type Attachment } from 'botbuilder';
import type { DecisionView } from '../domain/decisions.js';
import { expandCard as expand } from './cards.js';
import { dateFormat } from '../domain/dates.js';
import { kindLabel } from '../domain/vocabulary.js';
import type { CardAction } from './input.js';

/**
 * Team-lead cards (cards/decisions.json, cards/decision.json). Text people typed (names, comments,
 * review notes, filter values) goes only into RichTextBlock TextRuns: Adaptive Cards render a
 * TextRun as plain text, never as Markdown, so it cannot turn into links or formatting. Text from
 * the knowledge base (headlines, questions, quotes) stays in TextBlocks like on the operators' cards.
 */

/** «23.11.2026, 13:05» in the contact centre's time zone. */
export function formatTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}


/** Whitespace runs (newlines included) to one space: a comment stays on its line in a list. */
const oneLine = (s: string, max = 300) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const nameOf = (p: { name: string; id: string }) => p.name || p.id;

export function statusOf(v: DecisionView): string {
  if (v.awaitingReview) return '⚠ ждёт проверки';
  if (v.reviews.length > 0) return '✓ проверено';
  if (v.feedback.some((f) => f.verdict === 'helpful')) return '👍 помогло';
  return '';
}

/** Data shape of cards/decisions.json. */
export interface DecisionsCardData {
  title: string;
  summary: string;
  empty: string;
  hint: string;
  items: { decisionId: string; time: string; operator: string; procedure: string; kind: string; headline: string; status: string; awaitingReview: boolean; comment: string }[];
  buttons: { title: string; data: CardAction }[];
}

export function decisionsCardData(
  list: { title: string; summary: string; empty: string; hint: string; items: DecisionView[]; buttons: { title: string; data: CardAction }[] },
  timeZone: string,
): DecisionsCardData {
  return {
    ...list,
    items: list.items.map((v) => {
      const wrong = v.feedback.filter((f) => f.verdict === 'wrong' && f.comment);
      return {
        decisionId: v.id,
        time: formatTime(v.at, timeZone),
        operator: nameOf(v.operator),
        procedure: v.procedureTitle,
        kind: kindLabel(v.outcome.kind),
        headline: v.outcome.headline,
        status: statusOf(v) ? ` · ${statusOf(v)}` : '',
        awaitingReview: v.awaitingReview,
        comment: v.awaitingReview && wrong.length ? oneLine(wrong[wrong.length - 1].comment!) : '',
      };
    }),
  };
}

export function decisionsCard(...args: Parameters<typeof decisionsCardData>): Attachment {
  return CardFactory.adaptiveCard(expand('decisions', decisionsCardData(...args)));
}

/** Data shape of cards/decision.json. */
export interface DecisionCardData {
  id: string;
  kind: string;
  procedureTitle: string;
  headline: string;
  status: string;
  awaitingReview: boolean;
  facts: { label: string; value: string }[];
  path: { number: number; question: string; answer: string }[];
  citations: { quote: string; seed: string }[];
  feedback: { verdict: string; wrong: boolean; time: string; by: string; comment: string }[];
  reviews: { time: string; by: string; note: string }[];
}

export function decisionCardData(v: DecisionView, timeZone: string): DecisionCardData {
  const operator = v.operator.aadObjectId ? `${nameOf(v.operator)} (${v.operator.id}; AAD ${v.operator.aadObjectId})` : `${nameOf(v.operator)} (${v.operator.id})`;
  return {
    id: v.id,
    kind: kindLabel(v.outcome.kind),
    procedureTitle: v.procedureTitle,
    headline: v.outcome.headline,
    status: v.awaitingReview ? 'Ждёт проверки: оператор отметил ответ как неверный' : statusOf(v) || 'Отзывов нет',
    awaitingReview: v.awaitingReview,
    facts: [
      { label: 'Оператор', value: operator },
      { label: 'Время', value: formatTime(v.at, timeZone) },
      { label: 'Процедура', value: `${v.procedureTitle} (${v.procedureId}, версия ${v.procedureVersion})` },
      { label: 'Результат', value: `${kindLabel(v.outcome.kind)} · узел ${v.outcome.nodeId}` },
      { label: 'Версия базы знаний', value: v.kbVersion },
      { label: 'Номер решения', value: v.id },
    ],
    path: v.path.map((s, i) => ({ number: i + 1, question: s.question, answer: s.automatic ? `${s.answer} (автоматически)` : s.answer })),
    citations: v.citations.map((c) => ({ quote: c.quote, seed: c.seed })),
    feedback: v.feedback.map((f) => ({
      verdict: f.verdict === 'wrong' ? '✗ Ответ неверный' : '👍 Помогло',
      wrong: f.verdict === 'wrong',
      time: formatTime(f.at, timeZone),
      by: nameOf(f.by),
      comment: f.comment ?? '',
    })),
    reviews: v.reviews.map((r) => ({ time: formatTime(r.at, timeZone), by: nameOf(r.by), note: r.note })),
  };
}

export function decisionCard(v: DecisionView, timeZone: string): Attachment {
  return CardFactory.adaptiveCard(expand('decision', decisionCardData(v, timeZone)));
}
