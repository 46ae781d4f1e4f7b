import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { tempDir } from '../support/http.js';
import { repoRoot } from '../support/kb.js';

const run = promisify(execFile);

/** The keys issue 7 names; the table and bench/results.json must always carry them. */
const REQUIRED = ['baseline_rps', 'turn_rps', 'turn_p99_ms', 'turn_ratio', 'growth_100k_ratio', 'search_p99_ms', 'search_1000_p99_ms', 'rss_mb', 'start_ms'];

describe('bench: npm run bench --smoke (tiny loads, no timing asserted)', () => {
  it('prints one table and writes results.json with a finite number for every key', async function () {
    this.timeout(180_000);
    const dir = tempDir('oa-bench-test-');
    const out = join(dir, 'results.json');
    const { stdout } = await run(process.execPath, ['--no-deprecation', '--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], {
      cwd: repoRoot,
      timeout: 170_000,
      maxBuffer: 16 << 20,
    });
    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    rmSync(dir, { recursive: true, force: true });

    // Table rows: | row | measure | key | value | target | result |
    const rows = stdout
      .split('\n')
      .filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| row '))
      .map((l) => l.split('|').map((c) => c.trim()));
    const tableKeys = rows.map((c) => c[3]).filter(Boolean);
    expect(tableKeys, 'table keys').to.include.members(REQUIRED);
    for (const cells of rows) {
      const [, row, , key, value] = cells;
      if (row === 'postgres') continue; // skipped in a smoke run, with the reason on the row
      const shown = Number(value.replace(/,/g, '').split(' ')[0]);
      expect(Number.isFinite(shown), `table value of ${key}: "${value}"`).to.equal(true);
      expect(results[key], `results.json ${key}`).to.be.a('number');
      expect(Number.isFinite(results[key] as number), `results.json ${key} is finite`).to.equal(true);
    }
    for (const key of REQUIRED) expect(Number.isFinite(results[key] as number), `results.json ${key}`).to.equal(true);

    // The load really walked dialogs to their outcomes (a driver that no longer fits the cards fails here).
    expect(results.turn_failures, 'failed turns').to.equal(0);
    expect(results.turn_rps as number).to.be.greaterThan(0);
    expect(results.dialogs_per_s as number).to.be.greaterThan(0);
    expect(results.mode).to.equal('smoke');
    expect(stdout).to.include('Smoke run: targets not judged.');
  });
});
