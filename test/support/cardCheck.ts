/**
 * Loaded before every test file (.mocharc.json `file`): each card any test renders is expanded both
 * by its compiled template and by adaptivecards-templating, and a difference fails the test that
 * rendered it.
 */
import { cardCheck } from '../../src/dialogs/cards.js';

cardCheck.on = true;

after(() => {
  process.stderr.write(`cards checked against adaptivecards-templating: ${cardCheck.compiled} compiled, ${cardCheck.fellBack} expanded by the library\n`);
});
