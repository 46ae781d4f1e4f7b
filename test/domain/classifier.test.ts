import { expect } from 'chai';
import { deserialize, serialize } from 'node:v8';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnowledgeBaseError } from '../../src/domain/loader.js';
import { NONE, TopicClassifier } from '../../src/domain/search/classifier.js';
import { KnowledgeSearch, loadSearchData, russianLexicon, type SearchResult } from '../../src/domain/search/index.js';
import { kbDir, realKb, realSearch, repoRoot } from '../support/kb.js';
import { TOY, toyDigest, words } from '../support/toyModel.js';

describe('domain: the classifier beside the search', () => {
  it('learns the topic of a phrasing it was not shown from the words it shares with labelled ones', () => {
    const clf = TopicClassifier.train(TOY, words);
    expect(clf.predict('абонент матерится')[0].label).to.equal('call-termination');
    expect(clf.predict('совсем не слышно абонента')[0].label).to.equal('inaudible-caller');
    expect(clf.predict('погода')[0].label).to.equal(NONE);
    const p = clf.predict('кл матерится');
    expect(p.map((x) => x.label)).to.have.members(['call-termination', 'inaudible-caller', NONE]);
    expect(p.reduce((s, x) => s + x.p, 0)).to.be.closeTo(1, 1e-9);
  });

  it('trains deterministically: another process gives the same weights, and a model restored from its state (as the start’s cache keeps it) predicts exactly the same', function () {
    this.timeout(30_000);
    const other = execFileSync(process.execPath, ['--import', 'tsx', 'test/support/toyModel.ts'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    expect(other).to.equal(toyDigest());
    const a = TopicClassifier.train(TOY, words);
    const restored = TopicClassifier.restore(deserialize(serialize(a.state())), words);
    for (const text of ['кл матерится', 'плохо слышно', 'что-то третье']) expect(restored.predict(text)).to.deep.equal(a.predict(text));
  });

  it('refuses a knowledge base whose examples are malformed or name no procedure, naming the file and line, and leaves the file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-examples-'));
    try {
      cpSync(kbDir, dir, { recursive: true });
      const file = join(dir, 'examples', 'zz-bad.yaml');
      const load = () => new KnowledgeSearch(realKb(), loadSearchData(dir));
      const problems = () => {
        try {
          load();
        } catch (e) {
          expect(e).to.be.instanceOf(KnowledgeBaseError);
          return (e as KnowledgeBaseError).problems.join('\n');
        }
        throw new Error('loaded');
      };
      writeFileSync(file, '- expect: none\n');
      expect(problems()).to.match(/zz-bad\.yaml:1 .*must have required property 'text'/);
      const text = '- text: "кл матерится"\n  expect: procedure\n  procedure: no-such-procedure\n';
      writeFileSync(file, text);
      expect(problems()).to.match(/zz-bad\.yaml:3 .*no procedure "no-such-procedure" in the knowledge base/);
      expect(readFileSync(file, 'utf8')).to.equal(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('over the real knowledge base and kb/examples', function () {
    this.timeout(60_000);
    let withoutExamples: KnowledgeSearch;
    before(() => {
      const data = loadSearchData(kbDir);
      expect(data.examples?.length ?? 0, 'kb/examples are loaded').to.be.above(1000);
      withoutExamples = new KnowledgeSearch(realKb(), { ...data, examples: undefined }, {}, russianLexicon());
    });
    const label = (r: SearchResult) => (r.type === 'match' ? r.hit.procedureId : r.type);

    // Messages whose words differ from the procedure's: the rules alone find too little of them.
    for (const [message, procedure] of [
      ['кл хочет чтобы ему подарили гигабайты, что обещать', 'never-promise'],
      ['на звонок по анкете ответила жена владельца, говорит муж на работе', 'survey-refusal'],
    ] as const)
      it(`names one of the search’s nearest topics when no document covers enough: «${message}»`, () => {
        expect(label(withoutExamples.query(message)), 'the rules alone').to.equal('none');
        const r = realSearch().query(message);
        expect(label(r)).to.equal(procedure);
        expect(r.type === 'match' && r.hit.foundBy, 'the decision log records the rescue').to.equal('rescued');
      });

    it('settles the search’s "which of these?" only with one of its own candidates', () => {
      const message = 'на какой номер просить перезвонить если клиента не слышно';
      const alone = withoutExamples.query(message);
      expect(alone.type).to.equal('ambiguous');
      const r = realSearch().query(message);
      expect(label(r)).to.equal('inaudible-caller');
      expect(r.type === 'match' && r.hit.foundBy, 'the decision log records the settling').to.equal('secondOpinion');
      expect(alone.type === 'ambiguous' && alone.candidates.map((c) => c.procedureId)).to.include('inaudible-caller');
    });

    // A FAQ list's nearest entry is no rescue: its words are the operator's questions on the subject, whatever they ask.
    it('answers nothing from nothing: a message outside the procedures stays «нет в процедурах», a FAQ list never named', () => {
      for (const message of ['погода на марсе', 'кл требует книгу жалоб и предложений']) {
        const r = realSearch().query(message);
        expect(r.type, message).to.equal('none');
        if (r.type === 'none') expect(r.nearest?.length ?? 0, message).to.be.at.most(3);
      }
    });
  });
});
