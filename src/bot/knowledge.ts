import { join } from 'node:path';
import { contentProblems, unversionedChanges } from '../domain/kbChecks.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../domain/loader.js';
import { KnowledgeSearch, loadSearchData, russianLexicon } from '../domain/search/index.js';
import type { Knowledge } from '../dialogs/turnDialog.js';
import { firstLine } from './errors.js';
import { loadKnowledgeCached } from './kbCache.js';

/**
 * The outcome of a reload: the version now in use (with warnings that did not stop it), or every
 * problem found (the running version stays).
 */
export type ReloadResult =
  | { ok: true; version: string; previous: string; procedures: number; warnings: string[] }
  | { ok: false; version: string; problems: string[] };

/** The knowledge in use, with the whole search (team-lead views read wording as search does). */
export type LoadedKnowledge = Knowledge & { search: KnowledgeSearch };

/**
 * The knowledge base and its search index, built from `kbDir`; throws {@link KnowledgeBaseError} if
 * either is invalid. With `cacheDir`, what was validated and indexed before from the same bytes is read from there.
 */
function build(kbDir: string, cacheDir?: string): LoadedKnowledge {
  if (cacheDir) {
    const { kb, search } = loadKnowledgeCached(kbDir, cacheDir, russianLexicon());
    return { kb, search };
  }
  const kb = loadKnowledgeBase(kbDir);
  return { kb, search: new KnowledgeSearch(kb, loadSearchData(kbDir), {}, russianLexicon()) };
}

/**
 * The one home of the knowledge base in use. Every turn, page and API call reads {@link current}
 * once; {@link reload} builds a complete new knowledge base and search index beside the running one
 * and swaps the single reference only when everything is valid, so nothing ever sees half of an edit.
 * Loading is synchronous: no turn runs between the check and the swap.
 */
export class KnowledgeHolder {
  private knowledge: LoadedKnowledge;

  /**
   * Loads the knowledge base at start; an invalid one throws, and the bot does not start. With
   * `cacheDir` the start reuses what an earlier start validated from the same files (see kbCache.ts).
   */
  constructor(
    private readonly kbDir: string,
    private readonly log: (line: string) => void,
    cacheDir?: string,
  ) {
    this.knowledge = build(kbDir, cacheDir);
  }

  current(): LoadedKnowledge {
    return this.knowledge;
  }

  get version(): string {
    return this.knowledge.kb.version;
  }

  /**
   * Reads and checks the whole knowledge base again — the loader, the search data, and what
   * `npm run kb:lint` checks (quotes against `kb/sources/`, `kb/expected/` against every path) — and
   * swaps it in only if there is no problem. Logs one line per problem; never throws.
   */
  reload(trigger: string): ReloadResult {
    const previous = this.version;
    let next: LoadedKnowledge | undefined;
    let problems: string[];
    try {
      next = build(this.kbDir);
      problems = contentProblems(next.kb, this.kbDir, join(this.kbDir, 'sources'));
    } catch (e) {
      // A file removed or unreadable mid-edit is a problem to report like any other, not a crash.
      problems = e instanceof KnowledgeBaseError ? e.problems : [`${this.kbDir}: ${firstLine(e)}`];
    }
    if (!next || problems.length > 0) {
      this.log(`kb reload (${trigger}) refused: ${problems.length} problem(s), still on kb ${previous}`);
      for (const p of problems) this.log(`kb reload problem: ${p}`);
      return { ok: false, version: previous, problems };
    }
    const warnings = unversionedChanges(this.knowledge.kb, next.kb);
    this.knowledge = next;
    this.log(
      previous === this.version
        ? `kb reload (${trigger}): procedures, lines and forms unchanged (kb ${previous}), search data read again`
        : `kb reloaded (${trigger}): kb ${previous} → ${this.version}, ${next.kb.procedures.length} procedures`,
    );
    for (const w of warnings) this.log(`kb reload warning: ${w}`);
    return { ok: true, version: this.version, previous, procedures: next.kb.procedures.length, warnings };
  }
}
