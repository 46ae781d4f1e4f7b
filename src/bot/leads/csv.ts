import type { DecisionView } from '../../domain/decisions.js';
import { localDateTime } from '../../domain/dates.js';
import { foundByLabel, kindLabel } from '../../domain/vocabulary.js';

/**
 * CSV for Excel: UTF-8 with a BOM (so Excel reads Cyrillic right), `;` between cells (what Excel
 * expects with Russian regional settings), CRLF rows, RFC 4180 quoting. A cell that starts like a
 * formula gets a leading ' so Excel shows it as text instead of running it: = + - @ (also their
 * full-width forms) after any leading white space (spaces, NBSP, line breaks: spreadsheets trim
 * them), or a tab, CR or LF.
 */

export const BOM = '\uFEFF';

/** The response headers of a CSV download named `filename`. */
export const csvHeaders = (filename: string) => ({
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="${filename}"`,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});

const FORMULA = /^(?:\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/;

export function csvCell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[;",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvRow = (cells: string[]) => `${cells.map(csvCell).join(';')}\r\n`;

export const CSV_HEADER = [
  'Время',
  'Оператор',
  'ID оператора',
  'Процедура',
  'Код процедуры',
  'Версия процедуры',
  'Тип результата',
  'Результат',
  'Путь',
  'Как выбрана процедура',
  'Цитата',
  'Отзывы',
  'Ждёт проверки',
  'Не доставлено',
  'Проверка',
  'Версия базы знаний',
  'Номер решения',
];

/** «2026-11-23 13:05:00» in the contact centre's zone: Excel reads it as a date and time. */
export function csvTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : localDateTime(d, timeZone);
}

/**
 * The last line of an export that failed after it started: the file is visibly incomplete (the
 * status line was already sent as 200).
 */
export const CSV_FAILED = csvRow(['#ОШИБКА: выгрузка прервана, файл неполный. Повторите выгрузку.']);

export function decisionRow(v: DecisionView, timeZone: string): string[] {
  return [
    csvTime(v.at, timeZone),
    v.operator.name,
    v.operator.aadObjectId ?? v.operator.id,
    v.procedureTitle,
    v.procedureId,
    String(v.procedureVersion),
    kindLabel(v.outcome.kind),
    v.outcome.headline,
    v.path.map((s) => `${s.question} — ${s.answer}${s.automatic ? ' (автоматически)' : ''}`).join(' | '),
    // Empty for decisions logged before it was recorded.
    v.foundBy ? foundByLabel(v.foundBy) : '',
    v.citations.map((c) => `«${c.quote}» (${c.seed})`).join(' | '),
    v.feedback.map((f) => `${f.verdict === 'wrong' ? 'Ответ неверный' : 'Помогло'} (${f.by.name || f.by.id}, ${csvTime(f.at, timeZone)})${f.comment ? `: ${f.comment}` : ''}`).join(' | '),
    v.awaitingReview ? 'да' : 'нет',
    v.undelivered ? 'да' : 'нет',
    v.reviews.map((r) => `${r.by.name || r.by.id}, ${csvTime(r.at, timeZone)}: ${r.note}`).join(' | '),
    v.kbVersion,
    v.id,
  ];
}
