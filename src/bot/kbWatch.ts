import { watch, type FSWatcher } from 'node:fs';

/** Editors write a file in several steps (and swap files beside it): one reload after the burst. */
const WATCH_DEBOUNCE_MS = 300;

/**
 * Calls `onChange` once a burst of changes under `dir` (recursively) has settled, for the files a
 * knowledge base is made of. Returns the function that stops watching, or undefined (logged) when
 * the folder cannot be watched (e.g. the inotify limit): the bot serves on, SIGHUP and the API still reload.
 */
export function watchKnowledgeBase(dir: string, onChange: () => void, log: (line: string) => void, debounceMs = WATCH_DEBOUNCE_MS): (() => void) | undefined {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, (_event, name) => {
      if (name && !/\.(ya?ml|json|txt)$/.test(String(name))) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
  } catch (e) {
    log(`kb watch on ${dir} is off: ${(e as Error).message}`);
    return undefined;
  }
  // A watched folder removed or renamed: say so.
  watcher.on('error', (e) => log(`kb watch on ${dir} stopped: ${e.message}`));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
