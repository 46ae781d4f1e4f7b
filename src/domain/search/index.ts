/** Free-text search over the knowledge base, and the reading of what a message states. */
export { KnowledgeSearch, DEFAULT_TUNING } from './knowledgeSearch.js';
export type { BuiltSearch, SearchData, SearchFoundBy, SearchHit, SearchResult, SearchTuning } from './knowledgeSearch.js';
export { loadSearchData, russianLexicon } from './data.js';
export type { Lexicon } from './lexicon.js';
export { Analyzer, stem, contentWords } from './analyzer.js';
