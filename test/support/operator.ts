import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Answer, Facts } from '../../src/domain/engine.js';
import { ProcedureDialog, type OutcomeReached, type ProcedureDialogDeps } from '../../src/dialogs/procedureDialog.js';
import { cardOf, clickData } from './cards.js';
import { realKb } from './kb.js';

/**
 * A user in front of the dialog: reads each card and clicks or types, as an operator would.
 * `answers` are known before the first question, as when taken from the operator's message.
 */
export function operator(procedureId: string, facts: Facts = {}, deps: Partial<ProcedureDialogDeps> = {}, answers?: Answer[]) {
  const reached: OutcomeReached[] = [];
  const dialog = new ProcedureDialog({ kb: realKb(), facts: () => facts, onOutcome: async (r) => void reached.push(r), ...deps });
  const client = new DialogTestClient('msteams', dialog, { procedureId, answers });
  const replies = (first: Partial<Activity> | undefined) => {
    const all = first ? [first] : [];
    for (let r = client.getNextReply(); r; r = client.getNextReply()) all.push(r);
    return all;
  };
  return {
    client,
    reached,
    async send(activity: Partial<Activity> | string) {
      return replies(await client.sendActivity(activity));
    },
    click(card: ReturnType<typeof cardOf>, title: string) {
      return this.send({ type: 'message', value: clickData(card, title) });
    },
  };
}
