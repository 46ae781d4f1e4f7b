/**
 * Free-text search latency, in process: every question of test/fixtures/search-questions.yaml
 * against the real knowledge base, and against a synthetic one of 1,000 procedures
 * (test/support/syntheticKb.ts, with the real synonym families) with the same questions plus
 * questions made from its own triggers (so they do find documents, the expensive case).
 * Warm-up rounds first, then `rounds` timed rounds; each round asks every question once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { loadKnowledgeBase } from '../src/domain/loader.js';
import { KnowledgeSearch, loadSearchData } from '../src/domain/search/index.js';
import type { KnowledgeBase } from '../src/domain/types.js';
import { syntheticKb } from '../test/support/syntheticKb.js';
import { repoRoot } from './processes.js';
import { progress, round, Samples } from './stats.js';

export interface SearchFigures {
  questions: number;
  procedures: number;
  p50: number;
  p99: number;
  /** The slowest question's own p99, and the question. */
  worstP99: number;
  worstQuestion: string;
  buildMs: number;
  /** Every question's own p50 and p99 (ms), in fixture order. */
  perQuestion: { q: string; p50: number; p99: number }[];
}

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'search-questions.yaml');

/** Questions from the fixture (when it exists), else a few typed ones. */
export function fixtureQuestions(): { questions: string[]; source: string } {
  if (existsSync(FIXTURE)) {
    const { questions } = parse(readFileSync(FIXTURE, 'utf8')) as { questions: { q: string }[] };
    if (questions?.length) return { questions: questions.map((x) => x.q), source: 'test/fixtures/search-questions.yaml' };
  }
  return {
    questions: ['клиент не согласен с решением по заявке', 'как отправить кейс на обработку', 'абонент отказывается от опроса', 'не слышно клиента', 'перевести на линию домашнего интернета'],
    source: 'built-in questions (test/fixtures/search-questions.yaml missing)',
  };
}

function measure(search: KnowledgeSearch, questions: string[], rounds: number, warmup: number, label: string, procedures: number, buildMs: number): SearchFigures {
  const p = progress(label);
  for (let r = 0; r < warmup; r++) for (const q of questions) search.query(q);
  const all = new Samples();
  const per = questions.map(() => new Samples());
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < questions.length; i++) {
      const t = performance.now();
      search.query(questions[i]);
      const ms = performance.now() - t;
      all.add(ms);
      per[i].add(ms);
    }
    p.tick(`round ${r + 1}/${rounds}`);
  }
  const [p50, p99] = all.percentiles(50, 99);
  let worst = 0;
  for (let i = 1; i < per.length; i++) if (per[i].percentiles(99)[0] > per[worst].percentiles(99)[0]) worst = i;
  const perQuestion = questions.map((q, i) => {
    const [qp50, qp99] = per[i].percentiles(50, 99);
    return { q, p50: round(qp50, 3), p99: round(qp99, 3) };
  });
  const figures: SearchFigures = {
    questions: questions.length,
    procedures,
    p50: round(p50, 3),
    p99: round(p99, 3),
    worstP99: round(per[worst].percentiles(99)[0], 3),
    worstQuestion: questions[worst],
    buildMs: Math.round(buildMs),
    perQuestion,
  };
  p.done(`${procedures} procedures, ${questions.length} questions × ${rounds}: p50 ${figures.p50} ms, p99 ${figures.p99} ms (slowest question p99 ${figures.worstP99} ms)`);
  return figures;
}

/** Questions an operator might type about synthetic procedures: fragments of their triggers. */
function syntheticQuestions(kb: KnowledgeBase, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = kb.procedures[(i * 37) % kb.procedures.length];
    const words = p.triggers[i % p.triggers.length].split(' ');
    out.push(`${words.slice(0, 4).join(' ')} ${p.title.split(' ')[0]} что делать`);
  }
  return out;
}

export function searchBench(kbDir: string, rounds: number, warmup: number): { real: SearchFigures; synthetic: SearchFigures; source: string } {
  const { questions, source } = fixtureQuestions();
  let t = performance.now();
  const kb = loadKnowledgeBase(kbDir);
  const data = loadSearchData(kbDir);
  const realSearch = new KnowledgeSearch(kb, data);
  const real = measure(realSearch, questions, rounds, warmup, 'search (real knowledge base)', kb.procedures.length, performance.now() - t);

  t = performance.now();
  const big = syntheticKb(1000);
  const bigSearch = new KnowledgeSearch(big, { synonyms: data.synonyms });
  const synthetic = measure(bigSearch, [...questions, ...syntheticQuestions(big, 50)], rounds, warmup, 'search (1,000 synthetic procedures)', big.procedures.length, performance.now() - t);
  return { real, synthetic, source };
}
