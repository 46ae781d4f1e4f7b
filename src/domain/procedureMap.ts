import { kindLabels } from './vocabulary.js';
import type { KnowledgeBase, OutcomeKind, Procedure, ProcedureNode } from './types.js';

/**
 * A procedure as a Graphviz graph (DOT text), generated from the YAML: every question, check and
 * outcome a node (its id is the node's SVG <title>), every option an edge labelled with its text,
 * outcome kinds coloured, notCovered outcomes marked, each node's citations as its tooltip. Pure:
 * the caller lays it out (src/bot/web/kbMaps.ts, with Graphviz compiled to WebAssembly).
 */

/** Fill colours by what a node is; the map pages draw the same legend. */
export const mapColours: Record<OutcomeKind | 'question' | 'check', string> = {
  question: '#dbeafe',
  check: '#fef3c7',
  callResult: '#dcfce7',
  transfer: '#e0e7ff',
  phrase: '#fce7f3',
  caseParams: '#ccfbf1',
  actions: '#f1f5f9',
  faq: '#ede9fe',
  notCovered: '#fee2e2',
};

/** What each colour means, in the order of the legend. */
export const mapLegend: { key: keyof typeof mapColours; label: string }[] = [
  { key: 'question', label: 'Вопрос оператору' },
  { key: 'check', label: 'Решает бот (или спрашивает, если не знает)' },
  ...(Object.keys(kindLabels) as OutcomeKind[]).map((k) => ({ key: k, label: `Итог: ${kindLabels[k]}` })),
];

/** Breaks text into lines of at most `width` characters at spaces (a longer word stays whole). */
export function wrap(text: string, width = 38): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A DOT string: quotes and backslashes escaped, lines joined left-justified. */
const dotText = (lines: string[]) => `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\l')}\\l"`;
const dotPlain = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** What a node says on the map: its kind and main text, and for outcomes what the operator gets. */
export function nodeLines(kb: KnowledgeBase, node: ProcedureNode): string[] {
  if (node.type === 'question') return wrap(node.text);
  if (node.type === 'check') return [`⚙ Решает бот (${node.fact}):`, ...wrap(node.text), ...(node.ask ? ['Если не знает — спрашивает:', ...wrap(`«${node.ask.text}»`)] : [])];
  const line = node.line ? kb.lines.find((l) => l.id === node.line) : undefined;
  return [
    `${node.kind === 'notCovered' ? '⚠ ' : ''}${kindLabels[node.kind]}`,
    ...wrap(node.headline),
    ...(node.callResult ? [`Результат: «${node.callResult}»`] : []),
    ...(line ? wrap(`Линия: ${line.name}`) : []),
    ...(node.comment ? ['+ комментарий'] : []),
    ...(node.form ? ['+ форма для заполнения'] : []),
  ];
}

/** The hover text of a node: the outcome's citations, or the question's help. */
export function nodeTooltip(node: ProcedureNode): string {
  if (node.type === 'outcome') return node.citations.map((c) => `«${c.quote.replace(/^«|»$/g, '')}» (${c.seed})`).join('\n');
  if (node.type === 'question') return node.help ?? node.text;
  return node.ask?.help ?? node.text;
}

/** Counts to draw on a map: dialogs per edge (`node=option`) and a line per node. */
export interface MapCounts {
  edges: ReadonlyMap<string, number>;
  nodes: ReadonlyMap<string, string>;
}

/** `counts`: the analytics map — each edge labelled with the dialogs that took it, each node with its line. */
export function procedureDot(kb: KnowledgeBase, proc: Procedure, counts?: MapCounts): string {
  const out = [
    `digraph ${dotPlain(proc.id)} {`,
    '  graph [rankdir=LR, nodesep=0.25, ranksep=0.5, fontname="Arial", bgcolor="white"];',
    '  node [shape=box, style="rounded,filled", fontname="Arial", fontsize=11, margin="0.15,0.08"];',
    '  edge [fontname="Arial", fontsize=10, color="#64748b"];',
  ];
  for (const [id, node] of Object.entries(proc.nodes)) {
    const key = node.type === 'outcome' ? node.kind : node.type;
    const attrs = [
      `label=${dotText([...nodeLines(kb, node), ...(counts?.nodes.has(id) ? [`▶ ${counts.nodes.get(id)}`] : [])])}`,
      `tooltip=${dotPlain(nodeTooltip(node))}`,
      `fillcolor="${mapColours[key]}"`,
      `class=${dotPlain(node.type === 'outcome' ? `outcome kind-${node.kind}` : node.type)}`,
    ];
    if (node.type === 'check') attrs.push('shape=hexagon', 'style="filled"');
    if (node.type === 'outcome' && node.kind === 'notCovered') attrs.push('style="rounded,filled,dashed,bold"', 'color="#b91c1c"');
    if (id === proc.start) attrs.push('penwidth=2');
    out.push(`  ${dotPlain(id)} [${attrs.join(', ')}];`);
  }
  for (const [id, node] of Object.entries(proc.nodes)) {
    const counted = (optionId: string, lines: string[]) => {
      const n = counts?.edges.get(`${id}=${optionId}`);
      return n === undefined ? lines : [...lines, `× ${n}`];
    };
    if (node.type === 'question') for (const o of node.options) out.push(`  ${dotPlain(id)} -> ${dotPlain(o.next)} [label=${dotText(counted(o.id, wrap(o.label, 30)))}];`);
    if (node.type === 'check')
      for (const [value, next] of Object.entries(node.cases)) {
        const asked = node.ask?.options.find((o) => o.id === value)?.label;
        out.push(`  ${dotPlain(id)} -> ${dotPlain(next)} [label=${dotText(counted(value, wrap(asked ? `${value}: ${asked}` : value, 30)))}, style=dashed];`);
      }
  }
  out.push('}');
  return out.join('\n');
}
