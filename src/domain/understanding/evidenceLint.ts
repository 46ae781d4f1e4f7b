import { STOPWORDS } from '../search/stopwords.js';
import type { Procedure } from '../types.js';
import { NEGATIONS, phraseKey } from './evidence.js';
import { readMessage } from './message.js';

/**
 * Checks the evidence of a procedure's options, which the schema cannot: a phrase stated by two
 * options of one question, one word shared by two options' labels used as evidence for one of them
 * (a shared noun never asserts an option: «анкета» is in «анкета совпадает» and «анкета другая»),
 * a phrase of only function words and negations («уже была», «прямо сейчас»: said of anything), a
 * phrase both asserted and denied by one option, count ranges only in count questions and not
 * overlapping, and a count question whose options have no ranges. An option without evidence is fine: it is never taken from a message.
 */
export function evidenceProblems(proc: Procedure): string[] {
  const problems: string[] = [];
  for (const [nodeId, node] of Object.entries(proc.nodes)) {
    if (node.type !== 'question') continue;
    const at = `${proc.file ?? proc.id} node "${nodeId}"`;
    const labelStems = node.options.map((o) => new Set(readMessage(o.label).words.map((w) => w.stem)));
    const owner = new Map<string, string>();
    node.options.forEach((o, i) => {
      for (const phrase of o.evidence?.asserts ?? []) {
        const k = phraseKey(phrase);
        const other = owner.get(k);
        if (other !== undefined && other !== o.id) problems.push(`${at}: «${phrase}» asserts both options "${other}" and "${o.id}"; a phrase may state one option only`);
        owner.set(k, o.id);
        if (readMessage(phrase).words.every((w) => STOPWORDS.has(w.word) || NEGATIONS.has(w.word)))
          problems.push(`${at}: option "${o.id}": «${phrase}» has only function words and negations; it would be read in a message about anything`);
        if ((o.evidence?.denies ?? []).some((d) => phraseKey(d) === k)) problems.push(`${at}: option "${o.id}": «${phrase}» is both asserted and denied`);
        const ws = k.split(' ');
        if (ws.length === 1 && labelStems.filter((s, j) => j !== i && s.has(ws[0])).length > 0 && labelStems[i].has(ws[0]))
          problems.push(`${at}: option "${o.id}": «${phrase}» is a word of several options' labels; a shared word never asserts one option`);
      }
      if (o.evidence?.count && !node.count) problems.push(`${at}: option "${o.id}" has a count range but the question has no «count»`);
    });
    if (node.count) {
      const ranges = node.options.flatMap((o) => (o.evidence?.count ? [{ id: o.id, min: o.evidence.count.min ?? 0, max: o.evidence.count.max ?? Infinity }] : []));
      if (ranges.length === 0) problems.push(`${at}: a count question with no option count ranges`);
      for (const r of ranges) if (r.min > r.max) problems.push(`${at}: option "${r.id}": count min ${r.min} is above max ${r.max}`);
      for (let i = 0; i < ranges.length; i++)
        for (let j = i + 1; j < ranges.length; j++)
          if (ranges[i].min <= ranges[j].max && ranges[j].min <= ranges[i].max) problems.push(`${at}: options "${ranges[i].id}" and "${ranges[j].id}" have overlapping count ranges`);
    }
  }
  return problems;
}
