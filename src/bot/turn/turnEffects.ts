import type { TurnContext } from 'botbuilder';
import { NotYourDecisionError, UnknownDecisionError, type DecisionLog } from '../../domain/decisions.js';
import type { Effect, Reply } from '../../domain/step.js';
import { decisionOf, personOf } from './decisionRecorder.js';
import { noteAppended } from './delivery.js';
import type { FormHandler } from './formHandler.js';
import { isTeamLead } from '../leads/auth.js';

export interface TurnEffectsDeps {
  decisions: DecisionLog;
  forms: FormHandler;
  now: () => Date;
  /** TEAM_LEADS: they may give feedback on any decision; operators only on their own. */
  teamLeads?: readonly string[];
}

/** Runs the effects the domain step asks for: the decision log and the form cards. */
export function turnEffects(deps: TurnEffectsDeps): (context: TurnContext, effect: Effect) => Promise<Reply[] | void> {
  const leads = new Set(deps.teamLeads ?? []);
  return async (context, effect) => {
    switch (effect.type) {
      case 'appendDecision':
        // Idempotent by id: the same turn repeated after a failed save logs nothing new.
        noteAppended(context, effect.decision.id, await deps.decisions.append(decisionOf(effect.decision, context, deps.now())));
        return;
      case 'recordFeedback': {
        let outcome;
        try {
          outcome = await deps.decisions.addFeedback(
            {
              decisionId: effect.decisionId,
              at: deps.now().toISOString(),
              by: personOf(context),
              verdict: effect.verdict,
              ...(effect.comment ? { comment: effect.comment } : {}),
            },
            { byTeamLead: isTeamLead(context.activity, leads) },
          );
        } catch (e) {
          if (e instanceof UnknownDecisionError) return [{ type: 'notice', notice: 'unknownDecision' }];
          if (e instanceof NotYourDecisionError) return [{ type: 'notice', notice: 'notYourDecision' }];
          throw e;
        }
        // The step's thanks fit a first verdict; a repeat or a change is said as such.
        if (outcome === 'unchanged') return [{ type: 'notice', notice: 'feedbackUnchanged' }];
        if (outcome === 'changed' && effect.verdict === 'helpful') return [{ type: 'notice', notice: 'helpfulAfterWrong' }];
        return;
      }
      case 'openForm':
        await deps.forms.open(context, effect);
        return;
    }
  };
}
