import type { Activity } from 'botbuilder';

/** Reading replies the way a user sees them: card texts, tappable options, buttons. */

export type Card = { type: string; body?: any[]; actions?: any[] };

/** The card of a turn's last reply: where a dialog's next question or outcome is. */
export const lastCard = (replies: readonly object[]): Card => cardOf(replies[replies.length - 1] as Partial<Activity>);

export function cardOf(activity: Partial<Activity> | undefined): Card {
  const card = activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`expected an Adaptive Card, got: ${JSON.stringify(activity?.text ?? activity)}`);
  return card as Card;
}

function walk(node: any, visit: (n: any) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node);
    for (const key of ['body', 'items', 'columns', 'actions', 'card']) if (node[key]) walk(node[key], visit);
  }
}

/** Every TextBlock text of a card, in order (what a person reads). */
export function textsOf(card: Card): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock') out.push(String(n.text));
  });
  return out;
}

export const textOf = (card: Card) => textsOf(card).join('\n');

/**
 * The heading of a card: the question asked, or an outcome's instruction (its `headline` block,
 * under the phrase, line or call result that lead the card); else the first large text.
 */
export function headlineOf(card: Card): string {
  const texts: any[] = [];
  let headline: string | undefined;
  walk(card, (n) => {
    if (n.type === 'TextBlock' && n.id === 'headline') headline ??= n.text;
    if (n.type === 'TextBlock' && n.size === 'Large') texts.push(n.text);
  });
  return headline ?? texts.find((t) => t !== undefined) ?? '';
}

/** Actions that send their data to the bot: a message `value` (Action.Submit) or an `adaptiveCard/action` invoke (Action.Execute). */
const SENDS = new Set(['Action.Submit', 'Action.Execute']);

/** Tappable choices of a card (options, topics, candidates): their visible title and data. */
export function choicesOf(card: Card): { title: string; data: any; verb?: string }[] {
  const out: { title: string; data: any; verb?: string }[] = [];
  walk(card.body, (n) => {
    if (SENDS.has(n.selectAction?.type)) out.push({ title: n.selectAction.title, data: n.selectAction.data, ...(n.selectAction.verb ? { verb: n.selectAction.verb } : {}) });
  });
  return out;
}

/** Buttons of a card (top-level and in ActionSets). */
export function buttonsOf(card: Card): { title: string; data: any; verb?: string }[] {
  const out: { title: string; data: any; verb?: string }[] = [];
  walk(card, (n) => {
    if (SENDS.has(n.type)) out.push({ title: n.title, data: n.data, ...(n.verb ? { verb: n.verb } : {}) });
  });
  return out;
}

/** The choice or button whose title is (or else contains) `title`; fails if none or several. */
export function clickAction(card: Card, title: string): { title: string; data: any; verb?: string } {
  const all = [...choicesOf(card), ...buttonsOf(card)];
  const hits = all.filter((c) => c.title === title);
  const found = hits.length ? hits : all.filter((c) => c.title.includes(title));
  if (found.length !== 1) throw new Error(`expected one choice "${title}", found ${found.length} among: ${all.map((c) => c.title).join(' | ')}`);
  return found[0];
}

/** The data of the choice or button titled `title` (Action.Submit or Action.Execute): what a click sends. */
export const clickData = (card: Card, title: string): any => clickAction(card, title).data;

/** Inputs of a card by id (Input.* elements anywhere in it, ShowCards included). */
export function inputsOf(card: Card): Record<string, any> {
  const out: Record<string, any> = {};
  walk(card.body, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) out[n.id] = n;
  });
  return out;
}
