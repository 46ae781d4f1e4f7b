import { ActivityTypes, DeliveryModes, type Middleware, type TurnContext } from 'botbuilder';
import type { AppendOutcome, DecisionLog, DeliveryEvent } from '../../domain/decisions.js';
import { firstLine } from '../errors.js';

/**
 * Which decisions of a turn reached their operator, and the marks that tell team leads of those
 * that did not.
 *
 * A decision is appended before the card that names it is sent, in the same turn. When did that
 * card reach the operator?
 * - Posted to the channel (no expectReplies): when the connector accepted it, i.e. sendActivities
 *   resolved. It is in the chat from then on, even if the state save fails afterwards.
 * - With expectReplies, and in an invoke's response (Action.Execute: the card travels in the invoke
 *   response): only in the HTTP answer. A failed turn's answer carries none of the turn's replies
 *   (onTurnError drops them, adapter.ts), so such a card never arrives when the turn fails.
 * So a failed turn leaves undelivered exactly the decisions it appended and had not posted yet;
 * a turn that ends without error delivers them all.
 */

interface TurnDecision {
  id: string;
  outcome: AppendOutcome;
  /** Its card went out to the channel (posting only). */
  posted: boolean;
}

interface TurnDecisions {
  list: TurnDecision[];
  /** The turn failed: what onTurnError sends is not these decisions' card. */
  failed: boolean;
}

const TURN_DECISIONS = Symbol('turnDecisions');

/** Remembers a decision this turn appended (turnEffects), and from now on whether its card is posted. */
export function noteAppended(context: TurnContext, decisionId: string, outcome: AppendOutcome): void {
  let turn = context.turnState.get(TURN_DECISIONS) as TurnDecisions | undefined;
  if (!turn) {
    const t: TurnDecisions = (turn = { list: [], failed: false });
    context.turnState.set(TURN_DECISIONS, t);
    // Replies captured for an invoke's answer never get here (cardInvoke's handler runs first and
    // keeps them); an invoke response goes out with the HTTP answer, a trace nowhere.
    if (context.activity.deliveryMode !== DeliveryModes.ExpectReplies)
      context.onSendActivities(async (_context, activities, next) => {
        const responses = await next();
        if (!t.failed && activities.some((a) => a.type !== ActivityTypes.InvokeResponse && a.type !== ActivityTypes.Trace)) for (const d of t.list) d.posted = true;
        return responses;
      });
  }
  turn.list.push({ id: decisionId, outcome, posted: false });
}

/** Why a turn failed, for the marks: one line. */
export interface TurnFailure {
  reason: string;
  /** Another turn of this dialog saved first: it may have been the same click, delivering the same decision. */
  anotherTurnSaved?: boolean;
}

/** Writes the delivery marks: `undelivered` for a failed turn's unsent decisions, `delivered` for a repeat that got through. */
export class DeliveryMarks {
  constructor(
    private readonly decisions: DecisionLog,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {}

  /** A turn that ends without error delivered its decisions; a repeated one clears an earlier mark. */
  readonly middleware: Middleware = {
    onTurn: async (context, next) => {
      await next();
      const turn = context.turnState.get(TURN_DECISIONS) as TurnDecisions | undefined;
      await this.write(turn?.list.filter((d) => d.outcome === 'repeated').map((d) => this.event(d.id, 'delivered')) ?? []);
    },
  };

  /**
   * The turn failed: call first in onTurnError, so its error message does not count as a card sent;
   * then `settle` writes the marks once the operator has been answered.
   */
  static failed(context: TurnContext): { settle(marks: DeliveryMarks | undefined, failure: TurnFailure): Promise<void> } {
    const turn = context.turnState.get(TURN_DECISIONS) as TurnDecisions | undefined;
    if (turn) turn.failed = true;
    return { settle: async (marks, failure) => (turn && marks ? marks.afterFailure(turn.list, failure) : undefined) };
  }

  private async afterFailure(list: TurnDecision[], failure: TurnFailure): Promise<void> {
    const events: DeliveryEvent[] = [];
    for (const d of list) {
      if (d.posted) {
        if (d.outcome === 'repeated') events.push(this.event(d.id, 'delivered'));
      } else if (!(d.outcome === 'repeated' && failure.anotherTurnSaved)) {
        // Two instances running one click: the one that appended first and lost the save marks it;
        // if the winner was the repeat, it wrote `delivered`, which wins. A repeat that lost is left
        // alone: the save that beat it may have delivered this very decision.
        events.push(this.event(d.id, 'undelivered', failure.reason));
      }
    }
    await this.write(events);
  }

  private event(decisionId: string, delivery: DeliveryEvent['delivery'], reason?: string): DeliveryEvent {
    return { decisionId, at: this.now().toISOString(), delivery, ...(reason ? { reason } : {}) };
  }

  /** Never throws: the log may be what is down; the server log says so. */
  private async write(events: DeliveryEvent[]): Promise<void> {
    for (const e of events) {
      try {
        await this.decisions.markDelivery(e);
        if (e.delivery === 'undelivered') this.log(`decision ${e.decisionId} marked undelivered: ${e.reason ?? ''}`);
      } catch (error) {
        this.log(`decision ${e.decisionId} could not be marked ${e.delivery} in the decision log: ${firstLine(error)}`);
      }
    }
  }
}
