/**
 * Words several readers of a message look for, kept in one place so that the hedge reader, the count
 * reader and the evidence reader agree on what dates a clause or marks what is not known.
 */

/** The operator as an act's object: «оскорбляет не меня», «клиент предупредил меня», «угрожает не мне». */
export const OPERATOR_OBJECT = new Set(['меня', 'мне', 'нас', 'нам']);

/** The operator's own «не знаю», «не помню», «не уверена», «не разберу»: what follows is not known to be so. */
export const NOT_KNOWING = new Set(['знаю', 'помню', 'уверен', 'уверена', 'разберу', 'разобрала', 'разобрал', 'поняла', 'понял', 'пойму']);

/** Dated to another day: «вчера», «позавчера», «накануне». */
export const OTHER_DAY = new Set(['вчера', 'позавчера', 'накануне']);
/** «прошлый», «предыдущий», before a call or a period: another call or time than the one on the line. */
export const EARLIER = /^(прошл|предыдущ)/;
export const CALL_OR_PERIOD = /^(недел|раз$|звон|разговор|смен|месяц|год|обращен|контакт|сесси)/;
/** «на прошлой неделе», «в прошлый раз», «в прошлом звонке» («с прошлой недели» counts up to now). */
const DATING_PREPOSITION = new Set(['на', 'в', 'во']);

/** Whether word `k` of a clause's words dates it to another day or call. */
export const datesElsewhere = (ws: readonly string[], k: number): boolean =>
  OTHER_DAY.has(ws[k]) || (EARLIER.test(ws[k]) && DATING_PREPOSITION.has(ws[k - 1] ?? '') && CALL_OR_PERIOD.test(ws[k + 1] ?? ''));
