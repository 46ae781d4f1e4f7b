/** Entry point: `npm start`. Reads configuration, builds the app, listens, logs one line. */
import { ConfigError, readConfig } from './config.js';
import { createApp } from './app.js';

try {
  const app = createApp(readConfig());
  await app.listen();
  console.log(app.describe());
} catch (e) {
  // Configuration and data problems are the operator's to fix: say what, without a stack trace.
  const known = e instanceof ConfigError || (e instanceof Error && /KnowledgeBaseError|StorageFileError/.test(e.name));
  console.error(known ? `Cannot start: ${(e as Error).message}` : e);
  process.exit(1);
}
