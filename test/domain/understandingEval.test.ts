import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KnowledgeSearch, loadSearchData } from '../../src/domain/search/index.js';
import { evaluateSet, type EvalRow } from '../../src/domain/search/evaluate.js';
import { kbDir, realKb, repoRoot } from '../support/kb.js';

/**
 * The exit criteria of `npm run eval:search` on both halves of the evaluation set, so CI holds
 * them: no answer taken from a message that does not state it, and no message outside the
 * procedures answered with one. On the held-out half only the counts are reported, never its rows.
 */
describe('domain: understanding on the evaluation set', function () {
  this.timeout(60_000);
  let search: KnowledgeSearch;
  before(() => {
    search = new KnowledgeSearch(realKb(), loadSearchData(kbDir));
  });
  const rows = (half: string) => parse(readFileSync(join(repoRoot, `test/fixtures/eval/${half}.yaml`), 'utf8')) as EvalRow[];

  it('tuning half: 0 wrong pre-fills, 0 out-of-scope answered', () => {
    const r = evaluateSet(search, realKb(), rows('tune'));
    const listed = (kind: string) => r.misses.filter((m) => m.kind === kind).map((m) => `«${m.text}»: ${m.got}`).join('\n');
    expect(r.wrongPrefills, listed('wrongPrefill')).to.equal(0);
    expect(r.outOfScopeAnswered, listed('outOfScope')).to.equal(0);
  });

  it('held-out half: 0 wrong pre-fills, 0 out-of-scope answered', () => {
    const r = evaluateSet(search, realKb(), rows('held-out'));
    expect(r.rows).to.be.above(0);
    expect(r.wrongPrefills, 'wrong pre-fills on the held-out half').to.equal(0);
    expect(r.outOfScopeAnswered, 'out-of-scope messages answered on the held-out half').to.equal(0);
  });
});
