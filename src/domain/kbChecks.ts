import { expectedProblems, loadExpected } from './expected.js';
import { lintKnowledgeBase } from './lint.js';
import { readSeeds } from './seeds.js';
import type { KnowledgeBase } from './types.js';

/**
 * What `npm run kb:lint` checks beyond the loader: every quote and phrase against the seed texts in
 * `seedsDir`, and `kb/expected` against every path of every procedure. Each problem names its file.
 */
export function contentProblems(kb: KnowledgeBase, kbDir: string, seedsDir: string): string[] {
  const expected = loadExpected(kbDir);
  return [...lintKnowledgeBase(kb, readSeeds(seedsDir)), ...expected.problems, ...expectedProblems(kb, expected.files)];
}
