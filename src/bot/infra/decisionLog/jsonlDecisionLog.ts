import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  currentFeedback,
  isRepeatOf,
  mayAnnotate,
  searchKey,
  NotYourDecisionError,
  UnknownDecisionError,
  type DecisionCount,
  type DecisionEntry,
  type DecisionFacets,
  type GapDecision,
  type PathCounts,
  type AppendOutcome,
  type DecisionFilter,
  type DecisionLog,
  type DecisionPage,
  type DecisionRecord,
  type FoundBy,
  type DecisionView,
  type DeliveryEvent,
  type FeedbackEvent,
  type FeedbackOptions,
  type FeedbackOutcome,
  type FormValuesEvent,
  type Period,
  type Person,
  type ReviewEvent,
  type VerdictSummary,
} from '../../../domain/decisions.js';
import { facetsOf, matches, pathKey, pathSteps, periodMatches, prepareFilter, tally, toView, withDelivery } from '../../../domain/decisionQuery.js';
import { zonedDateOf } from '../../../domain/dates.js';
import { UNANSWERED_REASONS, type PathChoice, type UnansweredEvent } from '../../../domain/unanswered.js';
import type { OutcomeKind } from '../../../domain/types.js';
import { firstLine, StorageFileError } from '../../errors.js';
import { storableDelivery, storableFeedback, storableFormValues, storableReview, storableUnanswered } from './storableText.js';

/**
 * The decision log on disk: append-only JSON Lines in `<dir>/`.
 *
 * Layout. Segment files `decisions-YYYY-MM-NNN.jsonl` (the month of writing, then a sequence number
 * for size rotation at {@link JsonlOptions.maxSegmentBytes}); their names sort in write order. Every
 * line is one self-contained entry, and the three kinds are separate typed lines:
 *   {"type":"decision","record":{…DecisionRecord}}
 *   {"type":"feedback","event":{…FeedbackEvent}}
 *   {"type":"review","event":{…ReviewEvent}}
 *   {"type":"formValues","event":{…FormValuesEvent}}   (the newest one is the decision's formValues)
 *   {"type":"delivery","event":{…DeliveryEvent}}       (undelivered until a delivered one, see isUndelivered)
 *   {"type":"unanswered","event":{…UnansweredEvent}}   (a question the bot could not answer; no decision)
 * Events refer to a decision by id and may sit in a later segment than it.
 *
 * Cost. An append is one positional `write` of the whole line (`JSON.stringify` never emits a raw
 * newline) at the end of the data, plus a share of a group-committed `fdatasync` (see {@link SyncMode}); nothing
 * earlier is read or rewritten, so 100,000 entries cost the same per write as 10. Files are never
 * truncated, rewritten or deleted by the bot.
 *
 * Preallocation. A segment is zero-filled (and synced) ahead of its data, {@link PREALLOC_BYTES} at a
 * time, off the turn's path, as PostgreSQL fills its WAL segments: a line then overwrites zeros in
 * blocks that are already allocated and written, so its `fdatasync` changes no file size and needs
 * no journal commit of the file system, only the data and the device's cache flush. The data ends
 * at the first zero byte (JSON Lines never hold a raw 0x00: JSON escapes U+0000, and UTF-8 has no
 * zero byte in any other character); everything after it must be zeros. Segments written before
 * (without zeros) are read the same way and extended when appended to.
 *
 * Memory. Loading reads every segment once, in 1 MiB chunks, and keeps only what filters and the
 * team-lead analytics need (id, time, operator with name, procedure with title, outcome, path as
 * option ids, verdict and review flags; people, titles, outcomes and paths interned, so thousands of
 * decisions share one copy) plus each line's file position; full records, feedback and reviews are
 * read back by position when a view is asked for. Unanswered questions and «Ответ неверный»
 * comments are kept whole (far fewer than decisions): the gap report reads no file.
 *
 * Crash safety. A line without its final newline at the end of a segment's data, or bytes other than
 * zeros after the data's end (a line's pages reached the disk out of order before a power loss),
 * is a write the process did not finish (killed, disk full): it is reported and ignored, the file is
 * left as it is, and new entries go to a fresh segment so they are never glued to the torn bytes.
 * Any complete line that is not a valid entry (in the middle of a file) stops the load with the
 * file and line number.
 *
 * One process per directory: positions are tracked in memory, appends are queued in this process.
 */

export interface JsonlOptions {
  /** The clock, for choosing a month's segment (tests pass a fixed one). */
  now?: () => Date;
  /** When an appended line is synced to the disk (default `strict`; the bot's default is `deferred`, see config). */
  sync?: SyncMode;
  /** `deferred`: the most milliseconds between a line's write and the start of its sync (default {@link DEFERRED_SYNC_MS}). */
  syncWithinMs?: number;
  /** `deferred`: runs `run` once after `ms` and returns a cancel function (tests drive it by hand). */
  timer?: (run: () => void, ms: number) => () => void;
  /** Start a new segment when the current one would exceed this size, zeros included (default 64 MiB). */
  maxSegmentBytes?: number;
  /** Warnings at load (a torn last line). */
  log?: (line: string) => void;
  /** How files are opened for writing (`r+` an existing segment, `wx` a new one) and reading back (tests count the operations). */
  open?: (path: string, flags: OpenFlags) => Promise<FileHandle>;
}

export type OpenFlags = 'r+' | 'wx' | 'r';

/**
 * When an append resolves, relative to the disk (both survive a crash or `SIGKILL` of the process:
 * the OS holds every line whose `write` completed).
 *  - `strict`: after an `fdatasync` that began after the line's write (group commit), so the entry
 *    also survives a power loss; the turn waits for the disk's sync, whose tail on a shared disk is
 *    ~100 ms.
 *  - `deferred`: after the write; a group-committed `fdatasync` follows off the turn within
 *    {@link JsonlOptions.syncWithinMs} (and at close), so a power loss or kernel crash loses at most
 *    that window's entries — PostgreSQL's `synchronous_commit = off`.
 *  - `off`: never synced by the log (offline fills and tests).
 */
export type SyncMode = 'strict' | 'deferred' | 'off';

/** How long a deferred line may wait for its sync: a few turns' worth, well under a human's reaction. */
export const DEFERRED_SYNC_MS = 200;
/** After a failed background sync, the next try (each failure is logged). */
const SYNC_RETRY_MS = 1000;

type EventEntry =
  | { type: 'feedback'; event: FeedbackEvent }
  | { type: 'review'; event: ReviewEvent }
  | { type: 'formValues'; event: FormValuesEvent }
  | { type: 'delivery'; event: DeliveryEvent };
type Entry = { type: 'decision'; record: DecisionRecord } | EventEntry | { type: 'unanswered'; event: UnansweredEvent };

/** A line waiting for its write: resolved with the handle it went to, undefined when its precheck skipped it. */
interface Waiting {
  line: Buffer;
  indexAt: (ref: Ref) => void;
  precheck?: () => boolean;
  resolve: (handle: FileHandle | undefined) => void;
  reject: (e: unknown) => void;
}

/** Where one line is: segment number in {@link JsonlDecisionLog.segments}, byte offset, length without the newline. */
interface Ref {
  seg: number;
  offset: number;
  length: number;
}

/** What stays in memory per decision: the fields {@link matches} reads, and where the rest is. */
interface Summary {
  id: string;
  at: string;
  /** Interned: one object per operator id, ids and name (and the name folded for the name filter). */
  operator: { id: string; aadObjectId?: string; name: string; key: string };
  procedureId: string;
  /** Interned strings: the title and the title folded. */
  procedureTitle: string;
  titleKey: string;
  /** Interned: one object per outcome. */
  outcome: { kind: OutcomeKind; nodeId: string; headline: string };
  /** Interned: the path as option ids ({@link pathKey}), for the per-option counts. */
  pathKey: string;
  /** How the procedure was chosen, for the filter; absent in decisions logged before it was recorded. */
  foundBy?: FoundBy;
  awaitingReview: boolean;
  verdict: VerdictSummary;
  reviewed: boolean;
  seg: number;
  offset: number;
  length: number;
  /** Feedback, review and form lines, in log order; `marks` keeps what the awaiting-review rule needs. */
  events?: Ref[];
  marks?: Mark[];
  /** Delivery marks seen (see isUndelivered); their lines are read back only to copy the log ({@link JsonlDecisionLog.entries}). */
  undelivered?: true;
  delivered?: true;
  /** As the gap report last read it (frozen, shared by later reads); dropped by any new feedback. */
  gap?: Readonly<GapDecision>;
  deliveries?: Ref[];
}

/**
 * What stays in memory per unanswered question: all of it, as {@link JsonlDecisionLog.unanswered}
 * gives it — frozen, so every gap report shares the one copy instead of building tens of thousands
 * of objects per request (with the bot's small young generation, garbage is what such a request
 * costs most) — with people, conversations, procedures and paths interned. Their text is at most
 * 300 characters, and there are far fewer of them than decisions.
 */
interface UnansweredSummary {
  event: Readonly<UnansweredEvent>;
  pathKey: string;
}

/** A feedback (by whom, a digest of verdict and comment) or a review, as the index keeps it. */
interface Mark {
  verdict?: 'helpful' | 'wrong';
  at: string;
  review: boolean;
  by?: string;
  digest?: string;
  /** «Ответ неверный» only (few): who, and their comment, for the gap report. */
  who?: Summary['operator'];
  comment?: string;
}

/** The current «Ответ неверный» verdicts among a decision's marks (each person's newest feedback), oldest first. */
function currentWrong(marks: readonly Mark[]): GapDecision['wrong'] {
  const current = currentFeedback(marks.filter((m) => !m.review).map((m) => ({ ...m, by: { id: m.by ?? '', name: '' } })));
  return current
    .filter((m) => m.verdict === 'wrong')
    .map((m) => ({ by: { id: m.who?.id ?? m.by.id, name: m.who?.name ?? '' }, at: m.at, ...(m.comment ? { comment: m.comment } : {}) }));
}

/** Tells a repeated verdict and comment from a changed one without keeping the comment in memory. */
const feedbackDigest = (e: FeedbackEvent) => createHash('sha1').update(`${e.verdict}\n${e.comment ?? ''}`).digest('base64').slice(0, 12);

interface Segment {
  file: string;
  /** `YYYY-MM`. */
  month: string;
  no: number;
  /** Where the data ends: the next line is written here. */
  size: number;
  /** The file's length: data, then zeros up to here (equal to `size` in a segment written without preallocation). */
  capacity: number;
  /** Ends in an unfinished line: never appended to again. */
  torn: boolean;
}

const SEGMENT = /^decisions-(\d{4}-\d{2})-(\d{3,})\.jsonl$/;
const segmentName = (month: string, no: number) => `decisions-${month}-${String(no).padStart(3, '0')}.jsonl`;
const CHUNK = 1 << 20;
/** How far ahead of the data a segment is zero-filled, per extension. */
export const PREALLOC_BYTES = 1 << 20;
/** At most this much goes into one write call (a line is about a kilobyte). */
const MAX_BATCH_LINES = 256;
const MAX_BATCH_BYTES = 1 << 20;
const ZEROS = Buffer.alloc(Math.max(CHUNK, PREALLOC_BYTES));
const MAX_LINE = 4 << 20;
const NEWLINE = 0x0a;

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Why a parsed line is not a valid entry, or undefined when it is. */
function problemOf(e: any): string | undefined {
  if (!isObj(e)) return 'not a JSON object';
  if (e.type === 'decision') {
    const r = e.record;
    if (!isObj(r) || !isStr(r.id) || !isStr(r.at) || !isObj(r.operator) || !isStr(r.operator.id) || !isStr(r.procedureId) || !isObj(r.outcome) || !isStr(r.outcome.kind))
      return 'a decision without id, at, operator.id, procedureId or outcome.kind';
    return undefined;
  }
  if (e.type === 'feedback' || e.type === 'review' || e.type === 'formValues' || e.type === 'delivery') {
    const v = e.event;
    if (!isObj(v) || !isStr(v.decisionId) || !isStr(v.at)) return `a ${e.type} without decisionId or at`;
    if (e.type === 'feedback' && v.verdict !== 'helpful' && v.verdict !== 'wrong') return 'a feedback with a verdict other than helpful or wrong';
    if (e.type === 'formValues' && !isObj(v.values)) return 'a formValues without values';
    if (e.type === 'delivery' && v.delivery !== 'undelivered' && v.delivery !== 'delivered') return 'a delivery other than undelivered or delivered';
    return undefined;
  }
  if (e.type === 'unanswered') {
    const v = e.event;
    if (!isObj(v) || !isStr(v.id) || !isStr(v.at) || !isObj(v.operator) || !isStr(v.operator.id) || !UNANSWERED_REASONS.includes(v.reason))
      return 'an unanswered without id, at, operator.id or a known reason';
    return undefined;
  }
  return `unknown entry type ${JSON.stringify(e.type)}`;
}

/** The line an entry is stored as (exported for tools and tests that prepare log files). */
export function encodeEntry(entry: Entry): string {
  return `${JSON.stringify(entry)}\n`;
}

export class JsonlDecisionLog implements DecisionLog {
  private readonly segments: Segment[] = [];
  private readonly byId = new Map<string, Summary>();
  /** Append order; queries walk it backwards (newest first). */
  private readonly order: Summary[] = [];
  /** Decisions queued for writing: feedback may refer to them before the write completes. */
  private readonly pending = new Map<string, { decision: DecisionRecord; written: Promise<void> }>();
  /** Interned operator and outcome objects: thousands of decisions share a few of each. */
  private readonly operators = new Map<string, Summary['operator']>();
  private readonly outcomes = new Map<string, Summary['outcome']>();
  private readonly unansweredOrder: UnansweredSummary[] = [];
  private readonly unansweredIds = new Set<string>();
  private readonly readers = new Map<number, Promise<FileHandle>>();
  private appender?: { seg: Segment; handle: FileHandle };
  /** Lines queued for writing, and the loop writing them while any waits. */
  private readonly waiting: Waiting[] = [];
  private queue?: Promise<void>;
  /** The zero-fill running ahead of the data, if any: a segment is closed only after it. */
  private extending: Promise<void> = Promise.resolve();
  private extendingSeg?: Segment;
  /** The sync in flight (or the last one), and the one queued after it that new writes join. */
  private syncing: Promise<void> = Promise.resolve();
  private nextSync?: { handle: FileHandle; done: Promise<void> };
  /** `deferred`: the handle with lines written since its last sync began, and the timer that will sync it. */
  private unsynced?: FileHandle;
  private cancelSyncTimer?: () => void;
  /** The first failed sync (sticky: after a failed fdatasync Linux may have dropped those pages, so a later success proves nothing about them). */
  private syncFailure?: string;
  private readonly now: () => Date;
  private readonly syncMode: SyncMode;
  private readonly syncWithinMs: number;
  private readonly timer: NonNullable<JsonlOptions['timer']>;
  private readonly warn: (line: string) => void;
  private readonly maxSegmentBytes: number;
  private readonly openFile: NonNullable<JsonlOptions['open']>;
  private closed = false;

  private constructor(
    readonly dir: string,
    options: JsonlOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.syncMode = options.sync ?? 'strict';
    this.syncWithinMs = options.syncWithinMs ?? DEFERRED_SYNC_MS;
    this.timer =
      options.timer ??
      ((run, ms) => {
        // Unreferenced: close() syncs what is pending, so the timer need not keep the process alive.
        const t = setTimeout(run, ms).unref();
        return () => clearTimeout(t);
      });
    this.warn = options.log ?? ((line) => console.warn(line));
    this.maxSegmentBytes = options.maxSegmentBytes ?? 64 << 20;
    this.openFile = options.open ?? ((path, flags) => open(path, flags));
  }

  /**
   * Loads every segment in `dir` (created if missing) synchronously, so the bot never serves with a
   * half-read log. Throws {@link StorageFileError} naming `file:line` for a corrupted entry.
   */
  static open(dir: string, options: JsonlOptions = {}): JsonlDecisionLog {
    mkdirSync(dir, { recursive: true });
    const log = new JsonlDecisionLog(dir, options);
    const names = readdirSync(dir)
      .map((name) => ({ name, m: SEGMENT.exec(name) }))
      .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
      .sort((a, b) => (a.m[1] !== b.m[1] ? (a.m[1] < b.m[1] ? -1 : 1) : Number(a.m[2]) - Number(b.m[2])));
    for (const { name, m } of names) log.loadSegment(join(dir, name), m[1], Number(m[2]));
    return log;
  }

  /** Decisions in the log (loaded and appended since). */
  get size(): number {
    return this.order.length;
  }

  private loadSegment(file: string, month: string, no: number): void {
    const seg: Segment = { file, month, no, size: 0, capacity: 0, torn: false };
    const segIndex = this.segments.push(seg) - 1;
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      // One reusable buffer: the unfinished end of a read moves to its start before the next read,
      // so loading allocates nothing per chunk (RSS stays flat however large the file).
      let buf = Buffer.allocUnsafe(CHUNK);
      let held = 0; // bytes at buf[0..held) not yet ending in a newline
      let heldOffset = 0; // file offset of buf[0]
      let lineNo = 0;
      let pos = 0;
      let dataEnd = -1; // file offset of the first zero byte, once found
      while (pos < size && dataEnd < 0) {
        if (held === buf.length) {
          if (buf.length >= MAX_LINE) throw new StorageFileError(`${file}:${lineNo + 1}`, `a line longer than ${MAX_LINE} bytes: not a decision log entry`);
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, held);
          buf = bigger;
        }
        const n = readSync(fd, buf, held, Math.min(buf.length - held, size - pos), pos);
        if (n === 0) break;
        pos += n;
        let end = held + n;
        const zero = buf.indexOf(0, held);
        if (zero !== -1 && zero < end) {
          end = zero;
          dataEnd = heldOffset + zero;
        }
        let start = 0;
        for (let nl = buf.indexOf(NEWLINE, held); nl !== -1 && nl < end; nl = buf.indexOf(NEWLINE, nl + 1)) {
          lineNo++;
          this.loadLine(file, lineNo, buf.subarray(start, nl), { seg: segIndex, offset: heldOffset + start, length: nl - start });
          start = nl + 1;
        }
        buf.copy(buf, 0, start, end);
        held = end - start;
        heldOffset += start;
      }
      seg.size = dataEnd < 0 ? size : dataEnd;
      seg.capacity = size;
      const where = `${file}:${lineNo + 1}`;
      const ignored = 'That entry is ignored; the file was left as it is and new entries go to a new file.';
      if (held > 0) {
        seg.torn = true;
        this.warn(`decision log: ${where}: the last line is incomplete (${held} bytes without a line end: the process stopped while writing it). ${ignored}`);
      } else if (dataEnd >= 0) {
        const stray = this.firstNonZero(fd, dataEnd, size);
        if (stray >= 0) {
          seg.torn = true;
          this.warn(`decision log: ${where}: bytes after the end of the data at offset ${stray} (a line the process did not finish writing). ${ignored}`);
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  /** The offset of the first byte other than zero in `[from, to)` of the file, or -1. */
  private firstNonZero(fd: number, from: number, to: number): number {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let pos = from; pos < to; ) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, to - pos), pos);
      if (n === 0) break;
      if (!buf.subarray(0, n).equals(ZEROS.subarray(0, n))) for (let i = 0; i < n; i++) if (buf[i] !== 0) return pos + i;
      pos += n;
    }
    return -1;
  }

  private loadLine(file: string, lineNo: number, bytes: Buffer, ref: Ref): void {
    const where = `${file}:${lineNo}`;
    let entry: Entry;
    try {
      entry = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new StorageFileError(where, `corrupted decision log entry, not valid JSON (${(e as Error).message})`);
    }
    const problem = problemOf(entry);
    if (problem) throw new StorageFileError(where, `corrupted decision log entry: ${problem}`);
    if (entry.type === 'decision') {
      if (this.byId.has(entry.record.id)) throw new StorageFileError(where, `corrupted decision log: decision ${entry.record.id} is logged twice`);
      this.index(entry.record, ref);
    } else if (entry.type === 'unanswered') {
      if (this.unansweredIds.has(entry.event.id)) throw new StorageFileError(where, `corrupted decision log: unanswered ${entry.event.id} is logged twice`);
      this.indexUnanswered(entry.event);
    } else {
      const summary = this.byId.get(entry.event.decisionId);
      if (!summary) throw new StorageFileError(where, `corrupted decision log: ${entry.type} for decision ${entry.event.decisionId}, which is not in the log before it`);
      this.mark(summary, entry, ref);
    }
  }

  private index(r: DecisionRecord, ref: Ref): void {
    const operator = this.person(r.operator);
    const title = this.intern(r.procedureTitle ?? '');
    const outcomeKey = `${r.procedureId}\u0000${r.outcome.nodeId}\u0000${r.outcome.kind}\u0000${r.outcome.headline}`;
    let outcome = this.outcomes.get(outcomeKey);
    if (!outcome) this.outcomes.set(outcomeKey, (outcome = { kind: r.outcome.kind, nodeId: r.outcome.nodeId ?? '', headline: r.outcome.headline ?? '' }));
    const summary: Summary = {
      id: r.id,
      at: r.at,
      operator,
      procedureId: this.intern(r.procedureId),
      procedureTitle: title,
      titleKey: this.intern(searchKey(title)),
      outcome,
      pathKey: this.intern(pathKey(r.path ?? [])),
      ...(r.foundBy ? { foundBy: r.foundBy } : {}),
      awaitingReview: false,
      verdict: null,
      reviewed: false,
      seg: ref.seg,
      offset: ref.offset,
      length: ref.length,
    };
    this.byId.set(r.id, summary);
    this.order.push(summary);
  }

  /** One object per person (ids and name), shared by their decisions and questions. */
  private person(p: { id: string; aadObjectId?: string; name?: string }): Summary['operator'] {
    const name = p.name ?? '';
    const key = `${p.id}\u0000${p.aadObjectId ?? ''}\u0000${name}`;
    let person = this.operators.get(key);
    if (!person) this.operators.set(key, (person = { id: p.id, ...(p.aadObjectId ? { aadObjectId: p.aadObjectId } : {}), name, key: searchKey(name) }));
    return person;
  }

  private indexUnanswered(u: UnansweredEvent): void {
    this.unansweredIds.add(u.id);
    const key = this.intern(pathKey(u.path ?? []));
    const event: UnansweredEvent = { id: u.id, at: u.at, operator: this.shownPerson(this.person(u.operator), true), conversationId: this.intern(u.conversationId ?? ''), reason: u.reason };
    if (u.text) event.text = u.text;
    if (u.procedureId) event.procedureId = this.intern(u.procedureId);
    if (u.nodeId) event.nodeId = this.intern(u.nodeId);
    if (u.procedureId) event.path = this.steps(key);
    this.unansweredOrder.push({ event: Object.freeze(event), pathKey: key });
  }

  /** A person as the gap report shows them, frozen and shared: id and name, with `aad` their Entra id too. */
  private shownPerson(p: Summary['operator'], aad: boolean): Person {
    const shown = aad ? this.shownWithAad : this.shownPeople;
    let person = shown.get(p);
    if (!person) {
      person = { id: p.id, name: p.name };
      if (aad && p.aadObjectId) person.aadObjectId = p.aadObjectId;
      shown.set(p, Object.freeze(person));
    }
    return person;
  }
  private readonly shownPeople = new Map<Summary['operator'], Person>();
  private readonly shownWithAad = new Map<Summary['operator'], Person>();

  /** The path of a key, frozen and shared. */
  private steps(key: string): PathChoice[] {
    let path = this.paths.get(key);
    if (!path) this.paths.set(key, (path = Object.freeze(pathSteps(key).map((step) => Object.freeze(step))) as PathChoice[]));
    return path;
  }
  private readonly paths = new Map<string, PathChoice[]>();

  private readonly strings = new Map<string, string>();
  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private mark(summary: Summary, entry: EventEntry, ref: Ref): void {
    if (entry.type === 'delivery') {
      (summary.deliveries ??= []).push(ref);
      return this.applyDelivery(summary, entry.event);
    }
    (summary.events ??= []).push(ref);
    if (entry.type === 'formValues') return;
    summary.gap = undefined;
    const marks = (summary.marks ??= []);
    marks.push(
      entry.type === 'feedback'
        ? {
            verdict: entry.event.verdict,
            at: entry.event.at,
            review: false,
            by: entry.event.by?.id,
            digest: feedbackDigest(entry.event),
            ...(entry.event.verdict === 'wrong' ? { who: this.person(entry.event.by ?? { id: '' }), ...(entry.event.comment ? { comment: entry.event.comment } : {}) } : {}),
          }
        : { at: entry.event.at, review: true },
    );
    // The awaiting-review rule lives in toView; it reads only verdicts, times and who gave them.
    const feedback = marks.filter((m) => !m.review).map((m) => ({ verdict: m.verdict, at: m.at, by: { id: m.by ?? '' } })) as unknown as FeedbackEvent[];
    const reviews = marks.filter((m) => m.review) as unknown as ReviewEvent[];
    const view = toView({} as DecisionRecord, feedback, reviews);
    summary.awaitingReview = view.awaitingReview;
    summary.verdict = view.verdict;
    summary.reviewed = reviews.length > 0;
  }

  /** isUndelivered, kept as it goes: a delivery is final. */
  private applyDelivery(summary: Summary, event: DeliveryEvent): void {
    if (event.delivery === 'delivered') {
      summary.delivered = true;
      delete summary.undelivered;
    } else if (!summary.delivered) summary.undelivered = true;
  }

  // ---- writing ----

  /** A repeat of a logged decision is kept as it was logged (see {@link isRepeatOf}); another decision under its id is refused. */
  async append(decision: DecisionRecord): Promise<AppendOutcome> {
    const logged = this.byId.get(decision.id) ?? this.pending.get(decision.id)?.decision;
    if (logged && !isRepeatOf(logged, decision)) throw new Error(`decision ${decision.id} is already logged`);
    if (logged) {
      await this.pending.get(decision.id)?.written;
      return 'repeated';
    }
    const problem = problemOf({ type: 'decision', record: decision });
    if (problem) throw new Error(`not a loggable decision: ${problem}`);
    const written = this.write({ type: 'decision', record: decision }, (ref) => this.index(decision, ref)).finally(() => this.pending.delete(decision.id));
    this.pending.set(decision.id, { decision, written });
    await written;
    return 'appended';
  }

  async addFeedback(given: FeedbackEvent, options: FeedbackOptions = {}): Promise<FeedbackOutcome> {
    const event = storableFeedback(given);
    let outcome: FeedbackOutcome = 'recorded';
    await this.addEvent({ type: 'feedback', event }, (summary) => {
      if (!mayAnnotate(summary, event.by, options)) throw new NotYourDecisionError(event.decisionId);
      const previous = summary.marks?.filter((m) => !m.review && m.by === event.by.id).pop();
      outcome = !previous ? 'recorded' : previous.digest === feedbackDigest(event) ? 'unchanged' : 'changed';
      return outcome !== 'unchanged';
    });
    return outcome;
  }

  async addReview(event: ReviewEvent): Promise<void> {
    await this.addEvent({ type: 'review', event: storableReview(event) });
  }

  /** A repeat of a recorded id (a repeated turn) is kept once, also while the first is being written. */
  async addUnanswered(given: UnansweredEvent): Promise<void> {
    if (this.unansweredIds.has(given.id)) return;
    const entry = { type: 'unanswered' as const, event: storableUnanswered(given) };
    const problem = problemOf(entry);
    if (problem) throw new Error(`not a loggable unanswered: ${problem}`);
    this.unansweredIds.add(given.id);
    try {
      await this.write(entry, () => this.indexUnanswered(entry.event));
    } catch (e) {
      this.unansweredIds.delete(given.id);
      throw e;
    }
  }

  async addFormValues(given: FormValuesEvent): Promise<void> {
    const event = storableFormValues(given);
    await this.addEvent({ type: 'formValues', event }, (summary) => {
      if (!mayAnnotate(summary, event.by)) throw new NotYourDecisionError(event.decisionId);
      return true;
    });
  }

  async markDelivery(event: DeliveryEvent): Promise<void> {
    await this.addEvent({ type: 'delivery', event: storableDelivery(event) });
  }

  /**
   * Queues an event line. `decide` runs in queue order, when every earlier line is indexed: it may
   * refuse (throw) or skip (false) the write, seeing every earlier event of this process.
   */
  private async addEvent(entry: EventEntry, decide?: (summary: Summary) => boolean): Promise<void> {
    const id = entry.event.decisionId;
    if (!this.byId.has(id) && !this.pending.has(id)) throw new UnknownDecisionError(id);
    const problem = problemOf(entry);
    if (problem) throw new Error(`not a loggable ${entry.type}: ${problem}`);
    await this.write(entry, (ref) => this.mark(this.byId.get(id)!, entry, ref), () => {
      // Checked again in turn: the decision it refers to may have failed to write meanwhile.
      const summary = this.byId.get(id);
      if (!summary) throw new UnknownDecisionError(id);
      return decide ? decide(summary) : true;
    });
  }

  /**
   * Queues one line, then indexes it once written. Appends never overlap: the lines that queue up
   * while a write is in flight go out together in the next one, so under load the log takes one
   * thread-pool write and one event-loop turn per batch instead of per line (one per line let the
   * queue fall behind whenever those got slow, and outcome turns waited seconds in it).
   * `precheck` false: nothing to write.
   */
  private write(entry: Entry, indexAt: (ref: Ref) => void, precheck?: () => boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the decision log is closed'));
    const line = Buffer.from(encodeEntry(entry), 'utf8');
    const task = new Promise<FileHandle | undefined>((resolve, reject) => this.waiting.push({ line, indexAt, precheck, resolve, reject }));
    // Started a microtask later, so lines queued in the same tick share the first write too.
    this.queue ??= Promise.resolve().then(() => this.drain());
    // The sync is outside the queue: the next lines are written while these are being synced.
    return task.then((handle) => {
      if (!handle) return undefined;
      if (this.syncMode === 'strict')
        return this.syncAfterWrite(handle).catch((e) => {
          this.noteSyncFailure(this.appender?.seg.file ?? this.dir, e);
          throw e;
        });
      if (this.syncMode === 'deferred') this.syncSoon(handle);
      return undefined;
    });
  }

  /** Writes the waiting lines, a batch at a time, until none waits. */
  private async drain(): Promise<void> {
    try {
      for (let batch = this.nextBatch(); batch.length; batch = this.nextBatch()) await this.writeBatch(batch);
    } finally {
      // In the step that found nothing waiting: a line queued after it starts a new drain.
      this.queue = undefined;
    }
  }

  /**
   * The next lines to write together. A line with a precheck only starts a batch: its check then
   * runs when every earlier line is written and indexed, as it must.
   */
  private nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    let bytes = 0;
    while (this.waiting.length && batch.length < MAX_BATCH_LINES && bytes < MAX_BATCH_BYTES) {
      const next = this.waiting[0]!;
      if (next.precheck && batch.length) break;
      this.waiting.shift();
      if (next.precheck) {
        let write: boolean;
        try {
          write = next.precheck();
        } catch (e) {
          next.reject(e);
          continue;
        }
        if (!write) {
          next.resolve(undefined);
          continue;
        }
      }
      batch.push(next);
      bytes += next.line.length;
    }
    return batch;
  }

  /** Writes a batch whole in one call at the data's end; each line succeeds only if all its bytes were written. */
  private async writeBatch(batch: Waiting[]): Promise<void> {
    const bytes = batch.reduce((n, w) => n + w.line.length, 0);
    let target: { seg: Segment; handle: FileHandle };
    let written = 0;
    try {
      target = await this.appendTarget(bytes);
      const { seg, handle } = target;
      const buf = batch.length === 1 ? batch[0]!.line : Buffer.concat(batch.map((w) => w.line), bytes);
      try {
        ({ bytesWritten: written } = await handle.write(buf, 0, bytes, seg.size));
      } finally {
        // A partial line may be on disk now: never append after it.
        if (written !== bytes) seg.torn = true;
      }
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    const { seg, handle } = target;
    const segNo = this.segments.indexOf(seg);
    let offset = seg.size;
    seg.size += written;
    for (const w of batch) {
      if (offset + w.line.length > seg.size) w.reject(new Error(`decision log: short write to ${seg.file} (${written} of ${bytes} bytes)`));
      else {
        try {
          w.indexAt({ seg: segNo, offset, length: w.line.length - 1 });
          w.resolve(handle);
        } catch (e) {
          w.reject(e);
        }
      }
      offset += w.line.length;
    }
    if (seg.capacity - seg.size < PREALLOC_BYTES / 2) this.extendAhead(seg, handle);
  }

  /** `deferred`: the line just written is synced within the bound, together with every line written until then. */
  private syncSoon(handle: FileHandle, ms = this.syncWithinMs): void {
    this.unsynced = handle;
    if (this.cancelSyncTimer || this.closed) return;
    this.cancelSyncTimer = this.timer(() => {
      this.cancelSyncTimer = undefined;
      this.flush().catch(() => undefined); // logged and retried in flush
    }, ms);
  }

  /**
   * Syncs the lines written and not yet synced (`deferred`). A failure is logged, kept for
   * {@link syncProblem} and retried; the lines stay where they are, nothing is rewritten.
   */
  private async flush(): Promise<void> {
    const handle = this.unsynced;
    if (!handle) return;
    this.unsynced = undefined;
    try {
      await this.syncAfterWrite(handle);
    } catch (e) {
      this.noteSyncFailure(this.appender?.seg.file ?? this.dir, e, `; retrying in ${SYNC_RETRY_MS} ms`);
      if (!this.closed) this.syncSoon(this.unsynced ?? handle, SYNC_RETRY_MS);
      throw e;
    }
  }

  /** A sync the disk refused: warned, and kept for {@link syncProblem} (the first one). */
  private noteSyncFailure(file: string, e: unknown, then = ''): void {
    const problem = `decision log: fdatasync of ${file} failed at ${this.now().toISOString()}: ${firstLine(e)}; entries written since may not be on disk (a power loss could lose them)`;
    this.syncFailure ??= problem;
    this.warn(problem + then);
  }

  /**
   * A sync that is not a line's own (a new file's name, a segment's zero-fill). `deferred` promises
   * lines written, not synced, before the card, so a refusal is reported and the line goes on: the
   * operator still gets the answer. `strict` promises the disk: the line fails.
   */
  private async syncAside(file: string, sync: () => void | Promise<void>): Promise<void> {
    try {
      await sync();
    } catch (e) {
      this.noteSyncFailure(file, e);
      if (this.syncMode === 'strict') throw e;
    }
  }

  /** Why entries may not have reached the disk (a background sync failed), for /healthz; undefined while every sync succeeded. */
  syncProblem(): string | undefined {
    return this.syncFailure;
  }

  /**
   * Group commit: an append resolves once an `fdatasync` that started after its write has finished.
   * Appends that finish writing while a sync runs share the next one, so under load the disk sees
   * one sync per batch instead of one per line, and a turn never waits behind a queue of syncs.
   */
  private syncAfterWrite(handle: FileHandle): Promise<void> {
    if (this.nextSync?.handle !== handle) {
      const start = this.syncing.then(() => {
        if (this.nextSync?.done === done) this.nextSync = undefined; // started: later writes need the next one
        return handle.datasync();
      });
      const done: Promise<void> = start;
      this.nextSync = { handle, done };
      this.syncing = done.catch(() => undefined);
    }
    return this.nextSync!.done;
  }

  /**
   * The segment the next line of `bytes` goes to, opened, with zeros for the line. Lines go at the
   * data's end (`r+`, not O_APPEND: the zeros after it are the file's end).
   */
  private async appendTarget(bytes: number): Promise<{ seg: Segment; handle: FileHandle }> {
    const current = this.appender;
    const month = this.monthFor();
    if (current && this.takes(current.seg, month, bytes)) return this.withRoom(current, bytes);
    if (current) {
      // Its lines are synced before its handle goes, after any sync in flight (a failure fails this line, before it is written).
      await this.syncing;
      await this.flush();
      this.appender = undefined;
      await this.extending;
      await current.handle.close();
    }
    const last = this.segments[this.segments.length - 1];
    let seg: Segment;
    let flags: OpenFlags = 'wx';
    if (last && this.takes(last, month, bytes)) {
      seg = last;
      flags = 'r+';
    } else {
      const no = last && last.month === month ? last.no + 1 : 1;
      seg = { file: join(this.dir, segmentName(month, no)), month, no, size: 0, capacity: 0, torn: false };
      this.segments.push(seg);
    }
    let handle: FileHandle;
    try {
      handle = await this.openFile(seg.file, flags);
    } catch (e) {
      if (flags === 'wx') this.segments.pop();
      throw e;
    }
    if (flags === 'wx') {
      // The new file's name must survive a power loss too.
      await this.syncAside(this.dir, () => {
        const dirFd = openSync(this.dir, 'r');
        try {
          fsyncSync(dirFd);
        } finally {
          closeSync(dirFd);
        }
      });
    }
    this.appender = { seg, handle };
    return this.withRoom(this.appender, bytes);
  }

  /** Whether a line of `bytes` may go into `seg` this month. */
  private takes(seg: Segment, month: string, bytes: number): boolean {
    return !seg.torn && seg.month === month && (seg.size === 0 || seg.size + bytes <= this.maxSegmentBytes);
  }

  /** Zero-fills the segment up to at least `bytes` past its data, now (only a line that outran the prefill waits here). */
  private async withRoom(target: { seg: Segment; handle: FileHandle }, bytes: number): Promise<{ seg: Segment; handle: FileHandle }> {
    const needed = target.seg.size + bytes;
    if (needed > target.seg.capacity) await this.extending; // the fill running ahead may be making the room
    if (needed > target.seg.capacity) await this.extend(target.seg, target.handle, needed);
    return target;
  }

  /**
   * Appends {@link PREALLOC_BYTES} of zeros to the segment (more if `atLeast` needs it, less at its
   * size limit) and syncs them, so later lines overwrite written blocks and their syncs change no
   * size. A failure leaves `capacity` as it was: the zeros already on disk read as the data's end.
   */
  private async extend(seg: Segment, handle: FileHandle, atLeast = seg.capacity + PREALLOC_BYTES): Promise<void> {
    const to = Math.max(atLeast, Math.min(seg.capacity + PREALLOC_BYTES, this.maxSegmentBytes));
    for (let at = seg.capacity; at < to; ) {
      const { bytesWritten } = await handle.write(ZEROS, 0, Math.min(PREALLOC_BYTES, to - at), at);
      at += bytesWritten;
    }
    if (this.syncMode !== 'off') await this.syncAside(seg.file, () => handle.datasync());
    seg.capacity = to;
  }

  /** Zero-fills the next stretch of the segment while lines go on into what is already filled. */
  private extendAhead(seg: Segment, handle: FileHandle): void {
    if (this.extendingSeg === seg || seg.capacity >= this.maxSegmentBytes) return;
    this.extendingSeg = seg;
    this.extending = this.extend(seg, handle)
      .catch(() => undefined) // the line that needs the room extends it itself, and reports a failure
      .finally(() => (this.extendingSeg = undefined));
  }

  /** The month to write in: now's, but never before the newest segment (a clock set back). */
  private monthFor(): string {
    const month = this.now().toISOString().slice(0, 7);
    const last = this.segments[this.segments.length - 1];
    return last && last.month > month ? last.month : month;
  }

  // ---- reading ----

  private async readLine(ref: Ref): Promise<Entry> {
    let reader = this.readers.get(ref.seg);
    if (!reader) {
      reader = this.openFile(this.segments[ref.seg].file, 'r');
      this.readers.set(ref.seg, reader);
      reader.catch(() => this.readers.delete(ref.seg));
    }
    const handle = await reader;
    const buf = Buffer.alloc(ref.length);
    const { bytesRead } = await handle.read(buf, 0, ref.length, ref.offset);
    if (bytesRead !== ref.length) throw new Error(`decision log: ${this.segments[ref.seg].file} is shorter than when it was loaded (offset ${ref.offset})`);
    return JSON.parse(buf.toString('utf8')) as Entry;
  }

  /** A decision and its events, read back from disk. */
  private async load(s: Summary): Promise<{ record: DecisionRecord; feedback: FeedbackEvent[]; reviews: ReviewEvent[]; formValues: FormValuesEvent[] }> {
    const entry = await this.readLine(s);
    if (entry.type !== 'decision' || entry.record.id !== s.id)
      throw new Error(`decision log: ${this.segments[s.seg].file} at offset ${s.offset} no longer holds decision ${s.id}: was the file changed?`);
    const loaded = { record: entry.record, feedback: [] as FeedbackEvent[], reviews: [] as ReviewEvent[], formValues: [] as FormValuesEvent[] };
    for (const ref of s.events ?? []) {
      const e = await this.readLine(ref);
      if (e.type === 'feedback') loaded.feedback.push(e.event);
      else if (e.type === 'review') loaded.reviews.push(e.event);
      else if (e.type === 'formValues') loaded.formValues.push(e.event);
    }
    return loaded;
  }

  private async view(s: Summary): Promise<DecisionView> {
    const { record, feedback, reviews, formValues } = await this.load(s);
    // The newest form submission is the decision's formValues, as in the other stores.
    const last = formValues[formValues.length - 1];
    return withDelivery(toView(last ? { ...record, formValues: last.values } : record, feedback, reviews), s.undelivered === true);
  }

  /** Every decision with all its events, delivery marks too, oldest first (for copying the log into another store). */
  async *entries(): AsyncGenerator<DecisionEntry> {
    for (const s of [...this.order]) {
      const deliveries: DeliveryEvent[] = [];
      for (const ref of s.deliveries ?? []) {
        const e = await this.readLine(ref);
        if (e.type === 'delivery') deliveries.push(e.event);
      }
      yield { ...(await this.load(s)), deliveries };
    }
  }

  async get(id: string): Promise<DecisionView | undefined> {
    const s = this.byId.get(id);
    return s && this.view(s);
  }

  async query(filter: DecisionFilter, page: { offset: number; limit: number }): Promise<DecisionPage> {
    let total = 0;
    const hits: Summary[] = [];
    const f = prepareFilter(filter);
    for (let i = this.order.length - 1; i >= 0; i--) {
      const s = this.order[i];
      if (!matches(s, f)) continue;
      if (total >= page.offset && hits.length < page.limit) hits.push(s);
      total++;
    }
    const items: DecisionView[] = [];
    for (const s of hits) items.push(await this.view(s));
    return { total, items };
  }

  /** Summaries of a period, newest first. */
  private *within(period: Period): Generator<Summary> {
    for (let i = this.order.length - 1; i >= 0; i--) if (periodMatches(this.order[i].at, period)) yield this.order[i];
  }

  async facets(period: Period): Promise<DecisionFacets> {
    return facetsOf(this.within(period));
  }

  /** Frozen: the log's own copies (see {@link UnansweredSummary}). */
  async unanswered(period: Period): Promise<UnansweredEvent[]> {
    const events: UnansweredEvent[] = [];
    for (const u of this.unansweredOrder) if (periodMatches(u.event.at, period)) events.push(u.event);
    return events;
  }

  /** Frozen, and kept for the next report until the decision gets feedback (see {@link UnansweredSummary} for why). */
  async gapDecisions(period: Period): Promise<GapDecision[]> {
    // Oldest first, and no copy of the whole index: a gap report reads 100,000 decisions for a few thousand.
    const listed: GapDecision[] = [];
    for (const s of this.order) {
      if ((s.outcome.kind !== 'notCovered' && s.verdict !== 'wrong' && s.verdict !== 'mixed') || !periodMatches(s.at, period)) continue;
      s.gap ??= Object.freeze({
        id: s.id,
        at: s.at,
        operator: this.shownPerson(s.operator, false),
        procedureId: s.procedureId,
        procedureTitle: s.procedureTitle,
        kind: s.outcome.kind,
        headline: s.outcome.headline,
        wrong: Object.freeze(s.marks?.length ? currentWrong(s.marks).map((w) => Object.freeze(w)) : []) as GapDecision['wrong'],
      });
      listed.push(s.gap);
    }
    return listed;
  }

  async decisionCounts(period: Period, timeZone: string): Promise<DecisionCount[]> {
    const rows = new Map<Summary['outcome'], Map<string, DecisionCount>>();
    for (const s of this.within(period)) {
      // Outcome objects are interned per procedure and outcome: one small map of days each.
      let days = rows.get(s.outcome);
      if (!days) rows.set(s.outcome, (days = new Map()));
      const date = zonedDateOf(s.at, timeZone);
      tally(days, date, () => ({ date, procedureId: s.procedureId, procedureTitle: s.procedureTitle, kind: s.outcome.kind, nodeId: s.outcome.nodeId, headline: s.outcome.headline }));
    }
    return [...rows.values()].flatMap((days) => [...days.values()]);
  }

  async pathCounts(procedureId: string, period: Period): Promise<PathCounts> {
    // Every decision of the period is looked at: rows are found by path, then outcome node (both
    // interned strings), so nothing is allocated per decision. Newest first, as `within` reads.
    const rows: PathCounts['decisions'] = [];
    const byPath = new Map<string, Map<string, PathCounts['decisions'][number]>>();
    for (let i = this.order.length - 1; i >= 0; i--) {
      const s = this.order[i];
      if (s.procedureId !== procedureId || !periodMatches(s.at, period)) continue;
      let byNode = byPath.get(s.pathKey);
      if (!byNode) byPath.set(s.pathKey, (byNode = new Map()));
      const row = byNode.get(s.outcome.nodeId);
      if (row) row.count++;
      else byNode.set(s.outcome.nodeId, rows[rows.push({ path: s.pathKey, nodeId: s.outcome.nodeId, headline: s.outcome.headline, count: 1 }) - 1]);
    }
    const unanswered = new Map<string, PathCounts['unanswered'][number]>();
    for (const { event: u, pathKey: path } of this.unansweredOrder)
      if (u.procedureId === procedureId && periodMatches(u.at, period))
        tally(unanswered, `${u.reason}\n${u.nodeId ?? ''}\n${path}`, () => ({ reason: u.reason, ...(u.nodeId ? { nodeId: u.nodeId } : {}), path }));
    return { decisions: rows, unanswered: [...unanswered.values()] };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.cancelSyncTimer?.();
    this.cancelSyncTimer = undefined;
    // After any sync in flight, a deferred sync still owed is done now; its failure is reported after the files are closed.
    await this.syncing;
    const failed = await this.flush().then(() => undefined, (e: unknown) => e);
    await this.extending;
    await this.appender?.handle.close();
    this.appender = undefined;
    for (const reader of this.readers.values()) await (await reader.catch(() => undefined))?.close();
    this.readers.clear();
    if (failed) throw failed;
  }
}
