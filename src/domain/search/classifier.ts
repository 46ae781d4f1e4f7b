import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { normalize } from '../text.js';
import type { KnowledgeBase } from '../types.js';

/** A labelled message: a procedure's id, or {@link NONE} for a question the procedures do not answer. */
export interface Example {
  text: string;
  label: string;
  /** Where the example is written (file, line and row), for an error naming it; no part of what is learned. */
  at?: string;
}

export const NONE = 'none';

/** What the knowledge base says of each procedure (title, summary, triggers, option labels, FAQ questions): examples too. */
export function procedureExamples(kb: KnowledgeBase): Example[] {
  const out: Example[] = [];
  for (const p of kb.procedures) {
    const texts = [p.title, p.summary, ...p.triggers];
    for (const node of Object.values(p.nodes)) {
      if (node.type === 'question') for (const o of node.options) texts.push(o.label, ...(o.synonyms ?? []));
      if (node.type === 'outcome' && node.kind === 'faq') texts.push(node.question ?? node.headline);
    }
    for (const text of new Set(texts.filter((x) => x && x.trim().length > 2))) out.push({ text, label: p.id });
  }
  return out;
}

/** What a trained classifier is, as plain data (typed arrays: what `v8.serialize` keeps). */
export interface ClassifierState {
  labels: string[];
  features: string[];
  idf: Float32Array;
  /** One row of `labels.length` weights per feature, row after row. */
  weights: Float32Array;
  bias: Float32Array;
}

/** The analyzer's terms of a text (typos corrected, synonym families folded). */
export type TermsOf = (text: string) => string[];

/** A feature seen in fewer training messages says more about its writer than about the topic. */
const MIN_DF = 2;
const EPOCHS = 25;
const L2 = 1e-6;

/**
 * Which procedure a message is about, learned from labelled messages: TF-IDF over the search's own
 * terms and character 3–5-grams (typos and endings a stemmer misses), multinomial logistic regression.
 * A second opinion beside the search's rules, never an answer of its own: it reads no evidence. Written
 * here rather than taken from a library because the libraries measured (nlp.js) routed worse on
 * unseen writers (README), and because training must be deterministic: a fixed shuffle, weights kept
 * in 32 bits so a model restored from the start's cache predicts exactly what the trained one did.
 */
export class TopicClassifier {
  private readonly index: Map<string, number>;

  private constructor(
    private readonly terms: TermsOf,
    private readonly s: ClassifierState,
  ) {
    this.index = new Map(s.features.map((f, i) => [f, i]));
  }

  static restore(state: ClassifierState, terms: TermsOf): TopicClassifier {
    return new TopicClassifier(terms, state);
  }

  /**
   * Trains on `examples` (about 3 s for 5,000). A model is what the examples' labels and features give, so
   * examples read into the same features (a reload whose edit changed no word they use) reuse the model
   * this process trained already: a reload stalls the turns for the training only when it must.
   */
  static train(examples: readonly Example[], terms: TermsOf): TopicClassifier {
    const raws = examples.map((e) => raw(e.text, terms));
    const key = createHash('sha256').update(JSON.stringify([examples.map((e) => e.label), raws])).digest('hex');
    let state = trained.get(key);
    if (!state) trained.set(key, (state = fit(examples, raws)));
    return new TopicClassifier(terms, state);
  }

  state(): ClassifierState {
    return this.s;
  }

  /** Every label with its probability, best first. */
  predict(text: string): { label: string; p: number }[] {
    const { idx, val } = vector(raw(text, this.terms), this.index, this.s.idf);
    const L = this.s.labels.length;
    const z = Array.from(this.s.bias);
    for (let k = 0; k < idx.length; k++) for (let l = 0; l < L; l++) z[l] += this.s.weights[idx[k] * L + l] * val[k];
    const p = softmax(z);
    return this.s.labels.map((label, l) => ({ label, p: p[l] })).sort((a, b) => b.p - a.p || a.label.localeCompare(b.label));
  }
}

/**
 * Models trained in this process, by their examples' labels and features: tests and reloads build the same
 * search many times. A few only: each is megabytes, and a server reloading after every edit needs the last.
 */
const trained = new LRUCache<string, ClassifierState>({ max: 4 });

function raw(text: string, terms: TermsOf): string[] {
  const out = terms(text).map((t) => `w:${t}`);
  const s = ` ${normalize(text).replace(/[^a-zа-я0-9]+/g, ' ').trim()} `;
  for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= s.length; i++) out.push(`c:${s.slice(i, i + n)}`);
  return out;
}

/** Sublinear tf × idf, L2-normalised; features not in the model dropped. */
function vector(features: readonly string[], index: ReadonlyMap<string, number>, idf: ArrayLike<number>): { idx: Int32Array; val: Float64Array } {
  const tf = new Map<number, number>();
  for (const f of features) {
    const i = index.get(f);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(tf.keys());
  const val = Float64Array.from([...tf.entries()].map(([i, n]) => (1 + Math.log(n)) * idf[i]));
  let norm = 0;
  for (const v of val) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k] /= norm;
  return { idx, val };
}

function softmax(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Multinomial logistic regression by SGD with L2, over a fixed shuffle (an LCG) so every run gives the same model. */
function fit(examples: readonly Example[], raws: readonly string[][]): ClassifierState {
  const df = new Map<string, number>();
  for (const r of raws) for (const f of new Set(r)) df.set(f, (df.get(f) ?? 0) + 1);
  const features = [...df.keys()].filter((f) => df.get(f)! >= MIN_DF).sort();
  const index = new Map(features.map((f, i) => [f, i]));
  const idf = Float32Array.from(features, (f) => Math.log((1 + examples.length) / (1 + df.get(f)!)) + 1);
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const L = labels.length;
  // Feature-major: the weights one message touches lie together, a feature's labels side by side.
  const w = new Float64Array(features.length * L);
  const b = new Float64Array(L);
  const xs = raws.map((r) => vector(r, index, idf));
  const ys = examples.map((e) => labels.indexOf(e.label));
  const order = examples.map((_, i) => i);
  const z = new Float64Array(L);
  let seed = 12345;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    // Inputs are L2-normalised, so a step near 1 is safe; it shrinks by epoch.
    const eta = 1 / (1 + epoch / 5);
    for (const n of order) {
      const { idx, val } = xs[n];
      z.set(b);
      for (let k = 0; k < idx.length; k++) {
        const row = idx[k] * L;
        const v = val[k];
        for (let l = 0; l < L; l++) z[l] += w[row + l] * v;
      }
      let m = -Infinity;
      for (let l = 0; l < L; l++) if (z[l] > m) m = z[l];
      let sum = 0;
      for (let l = 0; l < L; l++) sum += z[l] = Math.exp(z[l] - m);
      // z now holds the gradient of the loss by each label's score.
      for (let l = 0; l < L; l++) {
        z[l] = z[l] / sum - (l === ys[n] ? 1 : 0);
        b[l] -= eta * z[l];
      }
      for (let k = 0; k < idx.length; k++) {
        const row = idx[k] * L;
        const v = val[k];
        for (let l = 0; l < L; l++) if (Math.abs(z[l]) >= 1e-4) w[row + l] -= eta * (z[l] * v + L2 * w[row + l]);
      }
    }
  }
  return { labels, features, idf, weights: Float32Array.from(w), bias: Float32Array.from(b) };
}
