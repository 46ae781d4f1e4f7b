/**
 * Where a V8 CPU profile (node --cpu-prof) spends its time: self time by package (a node_modules
 * package, src/…, node internals, GC), the top functions by self time, and the project's own
 * functions by total (inclusive) time. `tsx bench/profileSummary.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { repoRoot } from './processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A script's path inside the project (src/…, dist/… for the precompiled start), or undefined. */
function projectPath(url: string): string | undefined {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(`${repoRoot}/`) && !path.includes('/node_modules/') ? path.slice(repoRoot.length + 1) : undefined;
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = projectPath(url);
  return own ? (/^[^/]+\/(?:[^/]+\/)?/.exec(own)?.[0] ?? own) : url.replace(/^file:\/\//, '');
}

const short = (url: string) => projectPath(url) ?? url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');

export function summarizeProfile(file: string, top = 20): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(p.samples[i]);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const k = packageOf(node.callFrame.url, node.callFrame.functionName);
    pkg.set(k, (pkg.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      if (!projectPath(n.callFrame.url)) continue;
      const fk = key(n);
      if (seen.has(fk)) continue;
      seen.add(fk);
      inclusive.set(fk, (inclusive.get(fk) ?? 0) + dt);
    }
  }
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(1).padStart(5)} %`;
  const list = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${pct(ms)}  ${Math.round(ms).toString().padStart(7)} ms  ${k}`)
      .join('\n');
  return [
    `busy ${Math.round(total)} ms, idle ${Math.round(idle)} ms`,
    'self time by package:',
    list(pkg, 15),
    'top functions by self time:',
    list(self, top),
    'project functions by total time (including what they call):',
    list(inclusive, top),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/profileSummary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarizeProfile(file, Number(top)));
}
