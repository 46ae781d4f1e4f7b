/**
 * The parts of botbuilder-dialogs the bot uses, each from its own module. The package's index also
 * loads every prompt with its recognizers-text bundles (dates, numbers, choices in a dozen
 * languages), which the bot never uses and which were the largest single share of the start's
 * module loading. botbuilder-dialogs 4.x (the archived SDK's last line) has no exports map, so
 * these paths are the package's own files.
 */
import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs/lib/dialogContext.js';
import type { DialogStateManagerConfiguration } from 'botbuilder-dialogs/lib/memory/dialogStateManager.js';
import { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';

export { Dialog, DialogReason } from 'botbuilder-dialogs/lib/dialog.js';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog.js';
export { DialogSet };

/** Where botbuilder-dialogs' DialogStateManager looks for its configuration in a turn's state (memory/dialogStateManager.js). */
const MEMORY_CONFIGURATION = 'DialogStateManagerConfiguration';
let memoryConfiguration: DialogStateManagerConfiguration | undefined;

/**
 * `dialogs.createContext(context)`, with the dialog memory's scopes and path resolvers built once
 * per process: DialogStateManager otherwise builds them for every turn through a fresh service
 * collection (≈ 3 % of a turn's CPU). They hold nothing of a turn (each scope reads the turn's
 * state from the dialog context it is given), and DialogManager also reuses one configuration for
 * every turn (its `stateConfiguration`).
 */
export async function createDialogContext(dialogs: DialogSet, context: TurnContext): Promise<DialogContext> {
  if (memoryConfiguration) context.turnState.set(MEMORY_CONFIGURATION, memoryConfiguration);
  const dc = await dialogs.createContext(context);
  memoryConfiguration ??= dc.state.configuration;
  return dc;
}