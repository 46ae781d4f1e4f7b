import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, type Document } from 'yaml';

/**
 * Knowledge-base files are YAML validated against JSON schemas in kb/schema/. These helpers parse
 * them keeping line numbers, so every problem names `file:line (path.in.file)`.
 */

export interface ParsedFile {
  path: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function schemaValidator(kbDir: string, name: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  return ajv.compile(JSON.parse(readFileSync(join(kbDir, 'schema', name), 'utf8')));
}

export function parseYaml(path: string, problems: string[]): ParsedFile | undefined {
  const text = readFileSync(path, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push(`${path}: YAML syntax: ${e.message.split('\n')[0]}`);
    return undefined;
  }
  return { path, text, doc, lines };
}

/** `/nodes/state/options/1/next` -> `nodes.state.options[1].next` */
function readablePath(segments: (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(root)';
}

/** Where in the file a path points to: `file:line (path)`. */
export function locate(file: ParsedFile, segments: (string | number)[]): string {
  let line: number | undefined;
  for (let n = segments.length; n >= 0 && line === undefined; n--) {
    const node = file.doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) line = file.lines.linePos(node.range[0]).line;
  }
  return `${file.path}${line ? `:${line}` : ''} (${readablePath(segments)})`;
}

export function schemaProblems(file: ParsedFile, errors: ErrorObject[] | null | undefined): string[] {
  // if/then branches report an extra "must match then schema" line for every real error: skip it.
  return (errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const segments = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${(e.params as { additionalProperty: string }).additionalProperty}" (remove it or check its spelling)`
          : e.keyword === 'enum'
            ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
            : '';
      return `${locate(file, segments)}: ${e.message}${extra}`;
    });
}

