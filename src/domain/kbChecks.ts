import { expectedProblems, loadExpected } from './expected.js';
import { lintKnowledgeBase } from './lint.js';
import { readSeeds } from './seeds.js';
import type { KnowledgeBase, Procedure } from './types.js';

/**
 * What `npm run kb:lint` checks beyond the loader: every quote and phrase against the seed texts in
 * `seedsDir`, and `kb/expected` against every path of every procedure. Each problem names its file.
 */
export function contentProblems(kb: KnowledgeBase, kbDir: string, seedsDir: string): string[] {
  const expected = loadExpected(kbDir);
  return [...lintKnowledgeBase(kb, readSeeds(seedsDir)), ...expected.problems, ...expectedProblems(kb, expected.files)];
}

/**
 * Procedures whose start, questions, options or outcomes changed while their `version` stayed the
 * same. Dialogs open on them are not restarted — their answers are replayed on the new nodes — so a
 * reload tells the knowledge manager to raise the version if the change alters what an answer means.
 */
export function unversionedChanges(before: KnowledgeBase, after: KnowledgeBase): string[] {
  const walkOf = (p: Procedure) => JSON.stringify([p.start, p.nodes]);
  const old = new Map(before.procedures.map((p) => [p.id, p]));
  return after.procedures.flatMap((p) => {
    const was = old.get(p.id);
    if (!was || was.version !== p.version || walkOf(was) === walkOf(p)) return [];
    return [`procedures/${p.file}: procedure "${p.id}" changed but its version is still ${p.version}: open dialogs go on with the new nodes; raise the version to restart them`];
  });
}
