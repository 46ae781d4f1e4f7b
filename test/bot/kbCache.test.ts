import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadKnowledgeCached } from '../../src/bot/kbCache.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../../src/domain/loader.js';
import { parse } from 'yaml';
import { KnowledgeSearch, loadSearchData, russianLexicon } from '../../src/domain/search/index.js';
import { tempDir } from '../support/http.js';

/** A copy of the project's knowledge base to edit, and an empty cache directory. */
function copies(): { kbDir: string; cacheDir: string } {
  const kbDir = join(tempDir(), 'kb');
  cpSync('kb', kbDir, { recursive: true });
  return { kbDir, cacheDir: tempDir() };
}

const fullLoad = (kbDir: string) => ({ kb: loadKnowledgeBase(kbDir), searchData: loadSearchData(kbDir) });
/** The knowledge base and search data of a cached load, without its search index. */
const validated = ({ kb, searchData }: ReturnType<typeof loadKnowledgeCached>) => ({ kb, searchData });

/** Messages of every kind the search answers: a match, a typo, a pre-filled answer, small talk, nothing. */
const MESSAGES = ['клиент звонит повторно по тому же кейсу', 'клиетн недоволен решением по кейсу', 'абонент просит перезвонить позже', 'привет', 'спасибо большое', 'погода на марсе'];
/** What a search answers to {@link MESSAGES}: the search a user sees, not how it is held. */
const answers = (search: KnowledgeSearch) => MESSAGES.map((m) => [search.query(m), search.top(m)]);

/** The messages of the tuning side of the evaluation set (never the held-out half). */
function tuningTexts(): string[] {
  const dir = 'kb/examples';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => (parse(readFileSync(join(dir, f), 'utf8')) as { text: string }[]).map((r) => r.text));
}

const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  expect(text).to.include(from);
  writeFileSync(file, text.replace(from, to));
};

describe('bot: the validated knowledge base cached between starts', () => {
  it('gives what a full load gives, the first time and from the cache', () => {
    const { kbDir, cacheDir } = copies();
    const full = fullLoad(kbDir);
    expect(validated(loadKnowledgeCached(kbDir, cacheDir))).to.deep.equal(full);
    expect(readdirSync(cacheDir)).to.have.length(2);
    expect(validated(loadKnowledgeCached(kbDir, cacheDir))).to.deep.equal(full);
  });

  it('answers every message from the cached index as from one built from the files', () => {
    const { kbDir, cacheDir } = copies();
    const full = fullLoad(kbDir);
    const expected = answers(new KnowledgeSearch(full.kb, full.searchData));
    expect(answers(loadKnowledgeCached(kbDir, cacheDir).search)).to.deep.equal(expected);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.v8'))).to.have.length(1);
    expect(answers(loadKnowledgeCached(kbDir, cacheDir).search)).to.deep.equal(expected);
  });

  // The saved index holds every piece of search state the constructor builds; a piece left out of it
  // would change some answer after a start from the cache, so every tuning message is compared.
  it('answers every tuning message of the evaluation set alike from the cache, with the bot\'s lexicon', function () {
    this.timeout(240_000);
    const { kbDir, cacheDir } = copies();
    const full = fullLoad(kbDir);
    const texts = tuningTexts();
    const ask = (search: KnowledgeSearch) => texts.map((m) => search.query(m));
    const expected = ask(new KnowledgeSearch(full.kb, full.searchData, {}, russianLexicon()));
    loadKnowledgeCached(kbDir, cacheDir, russianLexicon());
    const got = ask(loadKnowledgeCached(kbDir, cacheDir, russianLexicon()).search);
    texts.forEach((text, i) => expect(got[i], text).to.deep.equal(expected[i]));
  });

  it('indexes an edited synonym family, not the cached index', () => {
    const { kbDir, cacheDir } = copies();
    const before = loadKnowledgeCached(kbDir, cacheDir).search;
    expect(before.wordingTerms('кракозябра')).not.to.deep.equal(before.wordingTerms('клиент'));
    edit(join(kbDir, 'search', 'synonyms.yaml'), '- [клиент, абонент,', '- [клиент, кракозябра, абонент,');
    const after = loadKnowledgeCached(kbDir, cacheDir).search;
    expect(after.wordingTerms('кракозябра')).to.deep.equal(after.wordingTerms('клиент'));
    const edited = fullLoad(kbDir);
    const message = 'кракозябра звонит повторно по тому же кейсу';
    expect(after.query(message)).to.deep.equal(new KnowledgeSearch(edited.kb, edited.searchData).query(message));
    expect(readdirSync(cacheDir), 'the older entries are removed').to.have.length(2);
  });

  it('builds the index again over a damaged index file, answers as before and writes it whole', () => {
    const { kbDir, cacheDir } = copies();
    const expected = answers(loadKnowledgeCached(kbDir, cacheDir).search);
    const file = join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.v8'))!);
    const whole = readFileSync(file);
    for (const damaged of [whole.subarray(0, whole.length >> 1), Buffer.concat([whole.subarray(0, 100), Buffer.from([whole[100] ^ 1]), whole.subarray(101)]), Buffer.from('')]) {
      writeFileSync(file, damaged);
      expect(answers(loadKnowledgeCached(kbDir, cacheDir).search)).to.deep.equal(expected);
      const rewritten = readFileSync(file);
      expect(rewritten.equals(damaged), 'not kept as it was').to.equal(false);
      expect(rewritten.length).to.be.above(whole.length >> 1);
      // Whole again: the next start loads it as it is (a damaged one would be written anew).
      expect(answers(loadKnowledgeCached(kbDir, cacheDir).search)).to.deep.equal(expected);
      expect(readFileSync(file).equals(rewritten)).to.equal(true);
    }
  });

  it('serves an edited procedure, not the cached one', () => {
    const { kbDir, cacheDir } = copies();
    loadKnowledgeCached(kbDir, cacheDir);
    const file = join(kbDir, 'procedures', '000-survey-comment.yaml');
    edit(file, 'title: Анкетирование — какой комментарий писать', 'title: Анкетирование — комментарий');
    const { kb } = loadKnowledgeCached(kbDir, cacheDir);
    expect(kb.procedures.find((p) => p.id === 'survey-comment')?.title).to.equal('Анкетирование — комментарий');
    expect(kb.version).to.equal(loadKnowledgeBase(kbDir).version);
    expect(readdirSync(cacheDir), 'the older entries are removed').to.have.length(2);
  });

  it('validates an edit in full: a broken file stops the load although an older version is cached', () => {
    const { kbDir, cacheDir } = copies();
    loadKnowledgeCached(kbDir, cacheDir);
    edit(join(kbDir, 'procedures', '000-survey-comment.yaml'), 'version: 1', 'version: one');
    expect(() => loadKnowledgeCached(kbDir, cacheDir)).to.throw(KnowledgeBaseError, /000-survey-comment\.yaml/);
  });

  it('validates an edited search file in full too', () => {
    const { kbDir, cacheDir } = copies();
    loadKnowledgeCached(kbDir, cacheDir);
    writeFileSync(join(kbDir, 'search', 'synonyms.yaml'), 'synonyms: [');
    expect(() => loadKnowledgeCached(kbDir, cacheDir)).to.throw(KnowledgeBaseError, /synonyms\.yaml/);
  });

  it('validates again when only a schema changes', () => {
    const { kbDir, cacheDir } = copies();
    loadKnowledgeCached(kbDir, cacheDir);
    const schema = join(kbDir, 'schema', 'procedure.schema.json');
    const parsed = JSON.parse(readFileSync(schema, 'utf8'));
    parsed.required = [...parsed.required, 'reviewedBy'];
    writeFileSync(schema, JSON.stringify(parsed));
    expect(() => loadKnowledgeCached(kbDir, cacheDir)).to.throw(KnowledgeBaseError, /reviewedBy/);
  });

  it('loads in full over a damaged cache file and writes it again', () => {
    const { kbDir, cacheDir } = copies();
    loadKnowledgeCached(kbDir, cacheDir);
    const file = readdirSync(cacheDir).find((f) => f.endsWith('.json'))!;
    writeFileSync(join(cacheDir, file), '{"key": "');
    expect(validated(loadKnowledgeCached(kbDir, cacheDir))).to.deep.equal(fullLoad(kbDir));
    expect(() => JSON.parse(readFileSync(join(cacheDir, file), 'utf8'))).not.to.throw();
  });

  it('still loads when the cache directory cannot be written', () => {
    const { kbDir } = copies();
    const notADir = join(tempDir(), 'file');
    writeFileSync(notADir, '');
    expect(loadKnowledgeCached(kbDir, notADir).kb.version).to.equal(loadKnowledgeBase(kbDir).version);
  });
});
