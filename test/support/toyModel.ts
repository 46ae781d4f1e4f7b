import { createHash } from 'node:crypto';
import { NONE, TopicClassifier, type Example } from '../../src/domain/search/classifier.js';

/** A few labelled messages and a plain word splitter: a classifier small enough to train in a test. */
export const words = (text: string) => text.toLowerCase().split(/[^a-zа-яё0-9]+/).filter(Boolean);
export const TOY: Example[] = [
  { text: 'клиент матерится', label: 'call-termination' },
  { text: 'абонент ругается матом', label: 'call-termination' },
  { text: 'кл материт меня', label: 'call-termination' },
  { text: 'клиента не слышно', label: 'inaudible-caller' },
  { text: 'абонента плохо слышно', label: 'inaudible-caller' },
  { text: 'кл не слышно совсем', label: 'inaudible-caller' },
  { text: 'какая погода завтра', label: NONE },
  { text: 'погода на выходных', label: NONE },
];

/** The SHA-256 of what training on {@link TOY} gives: the same in every process, or training is not deterministic. */
export const toyDigest = () => {
  const s = TopicClassifier.train(TOY, words).state();
  return createHash('sha256').update(JSON.stringify([s.labels, s.features])).update(Buffer.from(s.weights.buffer)).update(Buffer.from(s.bias.buffer)).digest('hex');
};

// Run as a script: print the digest (a second process for the determinism test).
if (process.argv[1]?.endsWith('toyModel.ts')) console.log(toyDigest());
