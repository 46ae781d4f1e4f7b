/**
 * `npm run kb:lint`: validates the knowledge base, checks it against the seed texts, and checks
 * that kb/expected lists every path of every procedure.
 */
import { resolve } from 'node:path';
import { contentProblems } from '../src/domain/kbChecks.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../src/domain/loader.js';

const kbDir = resolve(process.env.KB_DIR ?? 'kb');
const seedsDir = resolve(process.env.SEEDS_DIR ?? 'kb/sources');
try {
  const kb = loadKnowledgeBase(kbDir);
  const problems = contentProblems(kb, kbDir, seedsDir);
  if (problems.length > 0) {
    console.error(`kb:lint: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  const outcomes = kb.procedures.reduce((n, p) => n + Object.values(p.nodes).filter((x) => x.type === 'outcome').length, 0);
  console.log(`kb:lint: ok — ${kb.procedures.length} procedures, ${outcomes} outcomes, ${kb.lines.length} lines, version ${kb.version}`);
} catch (e) {
  console.error(e instanceof KnowledgeBaseError ? `kb:lint: ${e.message}` : e);
  process.exit(1);
}
