import { clauseWords, type Message } from '../understanding/message.js';

/**
 * The operator's own situation, not a caller's: «у меня дома не работает интернет», «я на удалёнке»,
 * «CRM не открывается у меня», «коллега оскорбила меня в чате», «это на премию влияет?», «какие вакансии есть». The procedures
 * say what to do with what a CALLER says or needs (seed texts: «клиент», «абонент»), so a message about
 * the operator's own home, tools, colleagues, neighbours and family, or pay is none of theirs, even when it names their topic
 * («интернет», «смс в инфоцентре», «оскорбила»). A message naming a caller anywhere is about the call.
 */

/** A caller named, by a word of its own: «кл», «аб», «он», «ему»… */
const CALLER_WORDS = new Set(['кл', 'аб', 'абон', 'он', 'она', 'они', 'его', 'ему', 'него', 'нему', 'ей', 'ее', 'нее', 'ней', 'им', 'ним', 'их', 'них', 'ими', 'ними']);
/** …or by a noun: «клиент», «клиентка», «абонент», «звонящий», «собеседник», a legal entity or a person calling («юрлицо», «ИП»). */
const CALLER_NOUN = /^(клиент|абонент|абонен|абонет|звонящ|собеседник|позвонивш|юрлиц|юрик|физлиц|физик|ип$|ооо$|представител)/;

/** A failure of a thing the operator has: «не работает», «не открывается», «зависла», «тупит». */
const NOT_WORKING = /^(работа|открыва|грузит|загружа|показыва|отобража|запуска|включа|ловит)/;
const BROKEN = /^(завис|глюч|тормоз|тупит|сломал|слетел|вылета)/;
/** Remote work: «я на удалёнке», «на удаленке». */
const REMOTE = /^удаленк/;
const COLLEAGUE = /^коллег/;
/** The operator as the object: «меня», «мне», «мной». */
const ME = new Set(['меня', 'мне', 'мной']);
/**
 * A work item named — a CASE, a task, a survey, its comment: a colleague's one handed over is a procedure's
 * («что делать с заданием коллеги», «коллега попросила меня дописать комментарий к анкете»).
 */
const WORK_ITEM = /^(кейс|кейз|case|задани|заявк|анкет|опрос|коммент)/;
/**
 * The operator's pay and leave, and a job with the company: no procedure is about them (the seed texts
 * name none). Not the office party: «корпоратив» is also operators' shorthand for a corporate client.
 */
const PAY = /^(преми|зарплат|табел|отпуск|больничн|ваканси|собеседовани|резюме|трудоустр)/;
const PAY_WORDS = new Set(['зп', 'kpi', 'кпи']);
const HIRED = /^устро(иться|ится|юсь|ился|илась)$/;
const JOB = /^(работ|компани|вам$|офис)/;

/**
 * The operator's own wish for home: «хочу себе домой интернет подключить» (the first person wanting it for
 * themselves); a caller wanting it is named («частное лицо хочет провести к себе домой»: no «хочу»).
 */
const I_WANT = new Set(['хочу', 'хотела', 'хотел']);
const FOR_ME = new Set(['себе', 'мне']);
const HOME = /^(домой|дома|домашн)/;
/** A staff perk: «скидка для сотрудников», «скидка сотрудникам» — unless a company asks it for its own staff. */
const PERK = /^(скидк|льгот|бонус)/;
const STAFF = /^сотрудник/;
const COMPANY = /^(компани|организаци|фирм|предприяти)/;

/** Someone of the operator's own life, with the operator as the object: «мне угрожает сосед», «меня оскорбляет муж». */
const OWN_PEOPLE = /^(сосед(а|у|ом|и|ей|ка|ки|ку|кой)?|муж(а|ем)?|жена|жены|женой|мама|мамы|папа|родственни(к|ки|ца|цы))$/;

/**
 * Another operator's service asked with no caller named: «ростелеком подключает интернет в частный дом?», «какой номер
 * поддержки у МТС». The procedures are our callers'; one coming from another operator («перейти к нам с мтс») is a caller's.
 */
const OTHER_OPERATOR = /^(мтс|мегафон(а|е|у|ом)?|ростелеком(а|е|у|ом)?|теле2|tele2|йота|йоты|yota)$/;
const COMING_FROM = new Set(['с', 'со', 'от', 'из']);

export type OwnSituation = 'home' | 'remote' | 'failing' | 'colleague' | 'personal' | 'pay' | 'another-operator';

/** Why the message is the operator's own situation, or undefined when it is not (or names a caller). */
export function operatorsOwn(m: Message): OwnSituation | undefined {
  const ws = m.words;
  if (ws.some((w) => CALLER_WORDS.has(w.word) || CALLER_NOUN.test(w.word))) return undefined;
  const at = (i: number, ...words: string[]) => words.every((x, k) => ws[i + k]?.word === x);
  for (let i = 0; i < ws.length; i++) {
    if (at(i, 'у', 'меня', 'дома')) return 'home';
    if (REMOTE.test(ws[i].word)) return 'remote';
    // «у меня» and a failure in its clause: «у меня не открывается CRM», «программа … не открывается у меня».
    if (at(i, 'у', 'меня')) {
      const clause = clauseWords(m, i);
      if (clause.some((w, k) => BROKEN.test(w.word) || (w.word === 'не' && NOT_WORKING.test(clause[k + 1]?.word ?? '')))) return 'failing';
    }
    if (COLLEAGUE.test(ws[i].word) && clauseWords(m, i).some((w) => ME.has(w.word)) && !ws.some((w) => WORK_ITEM.test(w.word))) return 'colleague';
    if (OTHER_OPERATOR.test(ws[i].word) && !COMING_FROM.has(ws[i - 1]?.word ?? '') && !ws.some((w, k) => w.word === 'к' && ws[k + 1]?.word === 'нам')) return 'another-operator';
    if (OWN_PEOPLE.test(ws[i].word) && clauseWords(m, i).some((w) => ME.has(w.word)) && !ws.some((w) => WORK_ITEM.test(w.word))) return 'personal';
    if (PAY.test(ws[i].word) || PAY_WORDS.has(ws[i].word)) return 'pay';
    if (I_WANT.has(ws[i].word)) {
      const clause = clauseWords(m, i);
      if (clause.some((w) => FOR_ME.has(w.word)) && clause.some((w) => HOME.test(w.word))) return 'home';
    }
    if (PERK.test(ws[i].word) && clauseWords(m, i).some((w) => STAFF.test(w.word)) && !ws.some((w) => COMPANY.test(w.word))) return 'pay';
    // «устроиться к вам в компанию», «устроиться на работу»: a job with the company.
    if (HIRED.test(ws[i].word) && clauseWords(m, i).some((w) => JOB.test(w.word))) return 'pay';
  }
  return undefined;
}
