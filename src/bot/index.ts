/** Entry point: `npm start`. Reads configuration, builds the app, listens, logs one line. */
import { readConfig } from './config.js';
import { isStartupProblem } from './errors.js';
import { createApp } from './app.js';

// A function, not top-level await: the bundle is CommonJS, for V8's code cache (scripts/build.mjs).
async function main(): Promise<void> {
  try {
    const app = createApp(readConfig());
    await app.listen();
    console.log(app.describe());
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: no new turns; finishing the ones in flight…`);
      await app.close();
      console.log('stopped cleanly');
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    // The daemon convention: SIGHUP reloads the knowledge base (a bad edit keeps the running one).
    process.on('SIGHUP', () => void app.reloadKnowledge('SIGHUP'));
  } catch (e) {
    // Configuration and data problems are the operator's to fix: say what, without a stack trace.
    console.error(isStartupProblem(e) ? `Cannot start: ${e.message}` : e);
    process.exit(1);
  }
}

void main();
