/**
 * Renders Adaptive Cards with the `adaptivecards` library (served from /vendor/) the way Teams
 * shows them, and turns a card action into what Teams would send back to the bot.
 */
import { teamsLightHostConfig } from './hostConfig.js';
import { teamsMarkdown } from './markdown.js';

const AC = window.AdaptiveCards;
if (!AC) throw new Error('The adaptivecards library did not load (/vendor/adaptivecards.min.js).');

AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = teamsMarkdown(text);
  result.didProcess = true;
};

export const hostConfig = new AC.HostConfig(teamsLightHostConfig);

/**
 * What a click sends, as Teams does for Action.Execute (an invoke with its verb and data) and
 * Action.Submit (also as a container's selectAction):
 * object `data` merged with the card's input values (input id → value) becomes the message
 * `value`; string `data` becomes the message text; `msteams` imBack/messageBack are honoured.
 * Returns null for actions the console does not send (Action.ShowCard is handled by the card).
 *
 * @returns {{ body: { text?: string, value?: object }, display: string } | { invoke: { verb: string, value: object }, display: string } | { openUrl: string } | { unsupported: string } | null}
 */
export function submissionOf(action) {
  const type = action.getJsonTypeName();
  const title = action.title || '';
  if (type === 'Action.OpenUrl') return { openUrl: action.url };
  if (type !== 'Action.Submit' && type !== 'Action.Execute') return type === 'Action.ShowCard' || type === 'Action.ToggleVisibility' ? null : { unsupported: type };
  // After execute(), `data` is the action's data merged with the values of the card's inputs.
  const data = action.data;
  // Universal Actions: Teams sends an `adaptiveCard/action` invoke and puts the answer's card in place of this one.
  if (type === 'Action.Execute') return { invoke: { verb: action.verb, value: data && typeof data === 'object' ? { ...data } : {} }, display: title };
  if (typeof data === 'string') return { body: { text: data }, display: data };
  const value = data && typeof data === 'object' ? { ...data } : {};
  const msteams = value.msteams;
  if (msteams && typeof msteams === 'object') {
    if (msteams.type === 'imBack' && typeof msteams.value === 'string') return { body: { text: msteams.value }, display: msteams.value };
    if (msteams.type === 'messageBack') {
      const body = {};
      if (typeof msteams.text === 'string') body.text = msteams.text;
      if (msteams.value !== undefined) body.value = typeof msteams.value === 'string' ? safeJson(msteams.value) : msteams.value;
      return { body, display: msteams.displayText || title };
    }
  }
  return { body: { value }, display: title };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Parses and renders one card. `onAction(action)` gets every executed action. Parse problems are
 * returned (the card still renders what it can, as Teams would) so the page can show them.
 */
export function renderCard(json, onAction) {
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  card.onExecuteAction = onAction;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const problems = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  const element = card.render();
  if (!element) throw new Error('the card could not be rendered');

  return { element, problems };
}
