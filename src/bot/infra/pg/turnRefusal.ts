import { ETagConflictError } from '../storage/postgresStorage.js';
import { DatabaseUnavailableError } from '../../errors.js';

/** What an operator is told when a turn cannot be stored, instead of "something went wrong". */
export const refusalTexts = {
  unavailable: 'Сервис временно недоступен, повторите через минуту.',
  conflict: 'Это действие не сохранено: диалог в тот же момент изменился в другом окне или вкладке. Посмотрите последний ответ и повторите действие, пожалуйста.',
} as const;

export interface TurnRefusal {
  kind: keyof typeof refusalTexts;
  /** The reply to the operator. */
  text: string;
  /** One line for the log, without a stack trace. */
  reason: string;
}

/** The storage error behind `error`, looking through wrappers (DialogContextError keeps it in `.error`). */
function rootOf(error: unknown): unknown {
  let e = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    if (e instanceof ETagConflictError || e instanceof DatabaseUnavailableError) return e;
    const next = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
    if (next === undefined) break;
    e = next;
  }
  return error;
}

/**
 * A turn that failed because the shared store refused it: the database is down, or another
 * instance saved this conversation first (optimistic concurrency). Undefined for any other error.
 */
export function refusalFor(error: unknown): TurnRefusal | undefined {
  const root = rootOf(error);
  if (root instanceof DatabaseUnavailableError) return { kind: 'unavailable', text: refusalTexts.unavailable, reason: root.message };
  if (root instanceof ETagConflictError) return { kind: 'conflict', text: refusalTexts.conflict, reason: `refused, a concurrent turn saved first (${root.message})` };
  return undefined;
}
