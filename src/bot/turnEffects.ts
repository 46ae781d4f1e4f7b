import type { TurnContext } from 'botbuilder';
import { UnknownDecisionError, type DecisionLog } from '../domain/decisions.js';
import type { Effect, Reply } from '../domain/step.js';
import { decisionOf, personOf } from './decisionRecorder.js';
import type { FormHandler } from './formHandler.js';

export interface TurnEffectsDeps {
  decisions: DecisionLog;
  forms: FormHandler;
  now: () => Date;
}

/** Runs the effects the domain step asks for: the decision log and the form cards. */
export function turnEffects(deps: TurnEffectsDeps): (context: TurnContext, effect: Effect) => Promise<Reply[] | void> {
  return async (context, effect) => {
    switch (effect.type) {
      case 'appendDecision':
        // Idempotent by id: the same turn repeated after a failed save logs nothing new.
        await deps.decisions.append(decisionOf(effect.decision, context, deps.now()));
        return;
      case 'recordFeedback':
        try {
          await deps.decisions.addFeedback({
            decisionId: effect.decisionId,
            at: deps.now().toISOString(),
            by: personOf(context),
            verdict: effect.verdict,
            ...(effect.comment ? { comment: effect.comment } : {}),
          });
        } catch (e) {
          if (!(e instanceof UnknownDecisionError)) throw e;
          return [{ type: 'notice', notice: 'unknownDecision' }];
        }
        return;
      case 'openForm':
        await deps.forms.open(context, effect);
        return;
    }
  };
}
