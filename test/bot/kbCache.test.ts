import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadKnowledgeCached } from '../../src/bot/kbCache.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../../src/domain/loader.js';
import { loadSearchData } from '../../src/domain/search/index.js';
import { tempDir } from '../support/http.js';

/** A copy of the project's knowledge base to edit, and an empty cache directory. */
function copies(): { kbDir: string; cacheDir: string } {
  const kbDir = join(tempDir(), 'kb');
  cpSync('kb', kbDir, { recursive: true });
  return { kbDir, cacheDir: tempDir() };
}

const fullLoad = (kbDir: string) => ({ kb: loadKnowledgeBase(kbDir), searchData: loadSearchData(kbDir) });

const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  expect(text).to.include(from);
  writeFileSync(file, text.replace(from, to));
};

describe('bot: the validated knowledge base cached between starts', () => {
  it('gives what a full load gives, the first time and from the cache', () => {
    const { kbDir, cacheDir } = copies();
    const full = fullLoad(kbDir);
    expect(loadKnowledgeCached(kbDir, cacheDir)).to.deep.equal(full);
    expect(readdirSync(cacheDir)).to.have.length(1);
    expect(loadKnowledgeCached(kbDir, cacheDir)).to.deep.equal(full);
  });

  it('serves an edited procedure, not the cached one', () => {
    const { kbDir, cacheDir } = copies();
    loadKnowledgeCached(kbDir, cacheDir);
    const file = join(kbDir, 'procedures', '000-survey-comment.yaml');
    edit(file, 'title: Анкетирование — какой комментарий писать', 'title: Анкетирование — комментарий');
    const { kb } = loadKnowledgeCached(kbDir, cacheDir);
    expect(kb.procedures.find((p) => p.id === 'survey-comment')?.title).to.equal('Анкетирование — комментарий');
    expect(kb.version).to.equal(loadKnowledgeBase(kbDir).version);
    expect(readdirSync(cacheDir), 'the older entry is removed').to.have.length(1);
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
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file), '{"key": "');
    expect(loadKnowledgeCached(kbDir, cacheDir)).to.deep.equal(fullLoad(kbDir));
    expect(() => JSON.parse(readFileSync(join(cacheDir, file), 'utf8'))).not.to.throw();
  });

  it('still loads when the cache directory cannot be written', () => {
    const { kbDir } = copies();
    const notADir = join(tempDir(), 'file');
    writeFileSync(notADir, '');
    expect(loadKnowledgeCached(kbDir, notADir).kb.version).to.equal(loadKnowledgeBase(kbDir).version);
  });
});
