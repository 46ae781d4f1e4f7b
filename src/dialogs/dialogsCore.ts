/**
 * The parts of botbuilder-dialogs the bot uses, each from its own module. The package's index also
 * loads every prompt with its recognizers-text bundles (dates, numbers, choices in a dozen
 * languages), which the bot never uses and which were the largest single share of the start's
 * module loading. botbuilder-dialogs 4.x (the archived SDK's last line) has no exports map, so
 * these paths are the package's own files.
 */
export { Dialog, DialogReason } from 'botbuilder-dialogs/lib/dialog.js';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog.js';
