import type { DeliveryEvent, FeedbackEvent, FormValuesEvent, Person, ReviewEvent } from '../../../domain/decisions.js';

/**
 * Text people type, made safe to store in every decision-log store: NUL and lone surrogates
 * removed (PostgreSQL's jsonb refuses both, so the event could never be stored, however often the
 * operator retried), then cut to a number of code points, so an emoji is never cut in half.
 */

/** Longest comment or review note kept. */
export const MAX_NOTE = 1000;
/** Longest person name kept. */
export const MAX_PERSON_NAME = 256;
/** Longest reason kept on a delivery mark (one line). */
export const MAX_REASON = 300;
/** Longest form value kept (the forms' own limits are far lower). */
export const MAX_FORM_VALUE = 4000;

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` without NUL and lone surrogates, at most `max` code points long. */
export function storableText(text: string, max: number): string {
  const clean = text.replace(UNSTORABLE, '');
  if (clean.length <= max) return clean;
  let end = 0;
  for (let points = 0; points < max && end < clean.length; points++) end += clean.codePointAt(end)! > 0xffff ? 2 : 1;
  return clean.slice(0, end);
}

const storablePerson = (p: Person): Person => ({ ...p, name: storableText(p.name ?? '', MAX_PERSON_NAME) });

export function storableFeedback(e: FeedbackEvent): FeedbackEvent {
  const comment = e.comment === undefined ? undefined : storableText(e.comment, MAX_NOTE);
  const { comment: _dropped, ...rest } = e;
  return { ...rest, by: storablePerson(e.by), ...(comment ? { comment } : {}) };
}

export const storableReview = (e: ReviewEvent): ReviewEvent => ({ ...e, by: storablePerson(e.by), note: storableText(e.note, MAX_NOTE) });

export const storableFormValues = (e: FormValuesEvent): FormValuesEvent => ({
  ...e,
  by: storablePerson(e.by),
  values: Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, storableText(String(v), MAX_FORM_VALUE)])),
});

/** A delivery mark's reason (an error's first line) as one storable line. */
export function storableDelivery(e: DeliveryEvent): DeliveryEvent {
  const { reason, ...rest } = e;
  const line = reason === undefined ? '' : storableText(reason.replace(/\s+/g, ' ').trim(), MAX_REASON);
  return { ...rest, ...(line ? { reason: line } : {}) };
}
