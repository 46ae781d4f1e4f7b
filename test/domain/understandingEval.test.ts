import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KnowledgeSearch } from '../../src/domain/search/index.js';
import { evaluateSet, type EvalRow } from '../../src/domain/search/evaluate.js';
import { realKb, realSearch, repoRoot } from '../support/kb.js';

/**
 * The exit criteria of `npm run eval:search` on both halves of the evaluation set. The target is 0
 * wrong pre-fills and 0 out-of-scope messages answered; it is not met yet, so CI holds the measured
 * counts as a ceiling (lower them as understanding improves, never raise them) and the eval script
 * keeps failing until both reach 0. The tuning side is tune.yaml and every tune-*.yaml together. On
 * the held-out half only the counts are reported, never its rows.
 */
const CEILING = {
  // A new fresh file joins the tuning side at the counts it measured before anyone tuned on it
  // (tune-fresh5.yaml: 19 wrong, 4 out of scope); after the fifth pass's rounds on the other files,
  // 22 and 4 over all files with it; 11 and 4 after the round on tune-fresh5.yaml (counts of another
  // day or person, «что будет, если», six labels decided from the seeds); 3 out of scope once a word of
  // the language is no longer read into a synonym family it only begins («по закону» as «закончу»).
  // The same card through another procedure counts as right (5 wrong); tune-fresh6.yaml joined at
  // its measured 11 wrong and 10 out of scope. 5 out of scope once a question asking a price, speed,
  // count, period or person no outcome card states is «нет в процедурах» (was 13); 15 and 4 once the
  // operator's own CRM failing is no search for a CASE; 3 once a purchase to be made («купить») is not one made.
  // 0 wrong after the round on wrong pre-fills (three labels decided from the seeds; negated predicates
  // over two-fact groups, warnings received, a number kept to its noun, «про»; evidence and search data
  // from the seeds).
  // The recall-by-evidence-data pass merged after it (a relative who took the car in is no driver, the
  // salon chosen is the other way of getting the SIM).
  // tune-fresh7.yaml joined at its measured 9 wrong and 8 out of scope.
  // 7 and 3 once the operator's own situation (home, remote work, own tools failing, a colleague, pay),
  // a message opening with a price noun, «какие X есть» and a CRM duplicate contact are «нет в процедурах».
  // 0 wrong and 10 out of scope after the round on its wrong pre-fills (counting forms and another day's
  // attempt, a kind of thing named in an oblique case, a colleague's conduct, contact-gone and waiting-on-a-case
  // data, the operator working from home; one label decided from the seed).
  // 0 and 3 with both rounds merged. tune-fresh8.yaml joined at its measured 16 wrong and 5 out of scope.
  // 14 and 8 after the routing round on it (a procedure the message is about takes no answer of another's).
  // 10 after the round on its reading pre-fills (the phrases said once, a bare физлицо, two facts in their
  // order; three labels decided from the seeds); the 10 left pick the wrong procedure or answer out of scope.
  // 8 and 8 with both rounds merged; 7 once «совпадение» of the three fields is their match; 6 and 6 once
  // a job with the company is a matter of the operator's own (the office party is not read: «корпоратив» is also a client).
  // tune-fresh9.yaml joined at its measured 10 wrong and 4 out of scope.
  // 8 and 7 after the round on its wrong pre-fills (an act beside «N-й раз», a purchase elsewhere, a delivery
  // changed, the fields «тот же», a legal entity not served with us; the operator's own wish, a staff perk,
  // neighbours and family, another operator's service); 6 once seed 001's «предложены все варианты» is no INBA offer.
  // 6 out of scope once «как зовут» asks a person no card names.
  // tune-fresh10.yaml joined at its measured 5 wrong and 6 out of scope (with the classifier, which had not seen it);
  // the classifier learns from these files, so this side is in-sample for it (eval:search --tune --unseen is not).
  // 8 and 8 after the round on its wrong pre-fills (a CASE to be created or just created, a bare transfer,
  // tethering, a FAQ entry found by its words asked a figure its card does not state).
  // tune-fresh11.yaml joined at its measured 8 wrong and 8 out of scope; the classifier's rescue from 0.6, 17 and 16.
  // 10 and 6 after the round on its wrong pre-fills and out-of-scope answers (a warning dated by the clause after it,
  // «ни на один вопрос», the service keeping the car; a phone number or a limit no card states, seed 004's order how-tos
  // that are titles only, a director asked for, an order that is no INBA offer).
  // tune-fresh12.yaml joined at its measured 8 wrong and 3 out of scope (after the rounds on fresh9 to fresh11, which never saw it).
  // 17 after «клиент ШПД» stopped stating an existing subscriber (the seed's «Потенциальный клиент» is a client too).
  // tune-fresh13.yaml joined at its measured 10 wrong and 7 out of scope (27 and 16); 19 and 12 after the round on it (a mistyped
  // infinitive is no past form, a service connected at home by the participle, «лимит» by its form, refund and 1С how-tos no card
  // describes, a lost phone to block; two labels decided from the seed).
  // tune-fresh14.yaml (traps for a guessing reader) joined at its measured 40 wrong and 8 out of scope, tune-fresh15.yaml at 6 and 6;
  // 41 and 20 over all files after the rounds on both (hedges, self-corrections, another day, person or CASE, «а не в X», warnings
  // counted with the caller as subject, «почти»; a participle is no noun, a courier is no subscriber, 1С and CRM how-tos).
  // tune-fresh16.yaml joined at its measured 5 wrong and 14 out of scope; 43 and 22 over all files after the round on it (a role's
  // holder, a price compared, a CASE's category, «на счёт» as the balance, CRM field and form how-tos, a salon's hours; one label
  // decided from the seed). tune-fresh17.yaml (traps again) joined at its measured 23 wrong and 2 out of scope; 50 and 23 over all
  // files after the round on it (definitions asked, undecided alternatives, possibilities, «нет» and «точнее» taking back, a claim
  // the operator did not check, a threat to complain is no threat to the operator). 47 once a task back without its mark is asked.
  // tune-fresh18.yaml to tune-fresh22.yaml joined at their measured 3, 5, 30, 5 and 9 wrong and 7, 12, 7, 4 and 11 out of scope.
  tune: { wrongPrefills: 99, outOfScopeAnswered: 64 },
  // 2 after the fourth pass's reading rules (counts, complaints, FAQ entries, two-fact options, the
  // survey family; was 5); the rows stay unread. 1 after the rounds on the thirteenth to seventeenth writers (hedges,
  // take-backs, another day or person, definitions asked), measured once at the session's end.
  'held-out': { wrongPrefills: 1, outOfScopeAnswered: 0 },
} as const;

describe('domain: understanding on the evaluation set', function () {
  // The tuning side is some 8,000 rows: reading them all takes a minute or more on two busy cores.
  this.timeout(240_000);
  let search: KnowledgeSearch;
  before(() => {
    search = realSearch();
  });
  const dir = join(repoRoot, 'kb/examples');
  const read = (file: string) => parse(readFileSync(file, 'utf8')) as EvalRow[];
  const rows = (half: 'held-out') => read(join(repoRoot, 'test/fixtures/eval', `${half}.yaml`));
  const tuningSide = () => readdirSync(dir).filter((f) => f.endsWith('.yaml')).flatMap((f) => read(join(dir, f)));

  it(`tuning side: at most ${CEILING.tune.wrongPrefills} wrong pre-fills and ${CEILING.tune.outOfScopeAnswered} out-of-scope answered (target 0)`, () => {
    const r = evaluateSet(search, realKb(), tuningSide());
    const listed = (kind: string) => r.misses.filter((m) => m.kind === kind).map((m) => `«${m.text}»: ${m.got}`).join('\n');
    expect(r.wrongPrefills, listed('wrongPrefill')).to.be.at.most(CEILING.tune.wrongPrefills);
    expect(r.outOfScopeAnswered, listed('outOfScope')).to.be.at.most(CEILING.tune.outOfScopeAnswered);
  });

  it(`held-out half: at most ${CEILING['held-out'].wrongPrefills} wrong pre-fills and ${CEILING['held-out'].outOfScopeAnswered} out-of-scope answered (target 0)`, () => {
    const r = evaluateSet(search, realKb(), rows('held-out'));
    expect(r.rows).to.be.above(0);
    expect(r.wrongPrefills, 'wrong pre-fills on the held-out half').to.be.at.most(CEILING['held-out'].wrongPrefills);
    expect(r.outOfScopeAnswered, 'out-of-scope messages answered on the held-out half').to.be.at.most(CEILING['held-out'].outOfScopeAnswered);
  });

  describe('the same card reached through another procedure', () => {
    // One seed bullet, two procedures: survey-refusal «хочет онлайн» and survey-online-resurvey give
    // the same call result, form, phrase and passage, so a message labelled either way is answered right.
    const text = 'по телефону отвечать не хочет, пройдет опрос онлайн по смс которая ему раньше приходила. как закрыть контакт?';
    const row = (procedure: string, node: string, option: string): EvalRow => ({ text, expect: 'procedure', procedure, answers: [{ node, option }], complete: true });

    it('is the right procedure, with no wrong pre-fill and no tap, whichever of the two the row names', () => {
      const hit = search.query(text);
      expect(hit.type).to.equal('match');
      for (const r of [row('survey-refusal', 'situation', 'wants-online'), row('survey-online-resurvey', 'link', 'earlier-link')]) {
        const report = evaluateSet(search, realKb(), [r]);
        expect(report.misses, r.procedure).to.deep.equal([]);
        expect([report.top1, report.wrongPrefills, report.completeZeroTaps], r.procedure).to.deep.equal([1, 0, 1]);
      }
    });

    it('is still wrong when the row expects another card', () => {
      // survey-refusal's «уже проходил» outcome: the same call result, another passage.
      const report = evaluateSet(search, realKb(), [row('survey-refusal', 'situation', 'already-surveyed')]);
      expect([report.wrongPrefills, report.completeZeroTaps]).to.deep.equal([1, 0]);
      expect(report.misses.map((m) => m.kind)).to.include.members(['wrongPrefill', 'taps']);
    });
  });
});
