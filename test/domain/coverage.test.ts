/**
 * docs/coverage.md and docs/maps/ stay true to the knowledge base: a procedure, outcome or
 * notCovered place added, removed or renamed in kb/ fails here, naming it.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { procedureSvg } from '../../src/bot/web/kbMaps.js';
import type { OutcomeNode } from '../../src/domain/types.js';
import { realKb, repoRoot } from '../support/kb.js';

const doc = readFileSync(join(repoRoot, 'docs/coverage.md'), 'utf8');
const ticked = (cell: string) => [...cell.matchAll(/`([a-z0-9][a-z0-9_-]*)`/g)].map((m) => m[1]);
const rows = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
/** The part of the page from heading `from` to the next heading of the same level. */
function section(from: RegExp): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => from.test(l));
  const level = /^#+/.exec(lines[start])![0];
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^${level} `).test(l));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** `proc/node` of every row of «Places marked notCovered». */
const notCoveredRows = () =>
  rows(section(/^## Places marked notCovered/))
    .slice(1)
    .flatMap(([cell]) => {
      const [proc, ...nodes] = ticked(cell);
      return nodes.map((n) => `${proc}/${n}`);
    });

describe('docs: coverage.md and maps/ match the knowledge base', () => {
  const kb = realKb();
  const outcomes = (id: string) =>
    Object.entries(kb.procedures.find((p) => p.id === id)!.nodes).filter((e): e is [string, OutcomeNode] => e[1].type === 'outcome');

  it('states the current totals', () => {
    const total = kb.procedures.reduce((n, p) => n + outcomes(p.id).length, 0);
    expect(doc).to.include(`In total there are ${kb.procedures.length} procedures, ${total} outcomes and ${kb.lines.length} lines`);
  });

  it('lists every outcome of every procedure under its seed (or as notCovered), and names no node a listed procedure lacks', () => {
    const procedureIds = new Set(kb.procedures.map((p) => p.id));
    const listed = new Set<string>(notCoveredRows());
    const unknown: string[] = [];
    for (const p of kb.procedures) {
      for (const [procCell, nodeCell] of rows(section(new RegExp(`^## Seed ${p.seed.slice(0, 3)} `))).map((r) => [r[1] ?? '', r[2] ?? ''])) {
        if (!ticked(procCell).includes(p.id)) continue;
        for (const id of ticked(nodeCell)) if (!procedureIds.has(id)) listed.add(`${p.id}/${id}`);
      }
    }
    const inKb = new Set(kb.procedures.flatMap((p) => outcomes(p.id).map(([id]) => `${p.id}/${id}`)));
    for (const key of listed) {
      const [proc, node] = key.split('/');
      // A row may list two procedures; a node needs to be an outcome of one of them.
      if (!inKb.has(key) && !kb.procedures.some((p) => p.id !== proc && inKb.has(`${p.id}/${node}`))) unknown.push(key);
    }
    // The FAQ table names its outcome nodes alone (one procedure, inba-faq).
    for (const r of rows(section(/^## Seed 002 /))) for (const id of ticked(r[1] ?? '')) listed.add(`inba-faq/${id}`);
    expect([...inKb].filter((k) => !listed.has(k)), 'outcomes missing from docs/coverage.md').to.deep.equal([]);
    expect(unknown, 'nodes in docs/coverage.md that are no outcome of the procedure').to.deep.equal([]);
  });

  it('lists exactly the notCovered outcomes in «Places marked notCovered»', () => {
    const listed = notCoveredRows();
    const notCovered = kb.procedures.flatMap((p) => outcomes(p.id).filter(([, n]) => n.kind === 'notCovered').map(([id]) => `${p.id}/${id}`));
    expect(listed.filter((k) => !notCovered.includes(k)), 'listed but not notCovered').to.deep.equal([]);
    expect(notCovered.filter((k) => !listed.includes(k)), 'notCovered but not listed').to.deep.equal([]);
  });

  it('has an up-to-date map of every procedure in docs/maps (npm run kb:map)', async () => {
    const dir = join(repoRoot, 'docs/maps');
    const expected = kb.procedures.map((p) => p.file!.replace(/\.yaml$/, '.svg')).sort();
    expect(readdirSync(dir).filter((f) => f.endsWith('.svg')).sort()).to.deep.equal(expected);
    for (const p of kb.procedures) expect(readFileSync(join(dir, p.file!.replace(/\.yaml$/, '.svg')), 'utf8') === (await procedureSvg(kb, p)), `${p.id}: run npm run kb:map`).to.equal(true);
  });
});
