/**
 * The results of every benchmark run, kept in the repository so that a change can be
 * compared with the last run: `results.jsonl` (one JSON object per run, machine-readable)
 * and `results.md` (the same, for people; newest last).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { TABLE_HEADER, table, tableRows, type FigureResult } from './stats';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  chromium: string;
}

export interface RunRecord {
  date: string;
  commit: string;
  /** The working tree had uncommitted changes when the run started. */
  dirty: boolean;
  machine: Machine;
  /** Flags the run was started with (e.g. --runs=5). */
  args: string[];
  durationS: number;
  figures: FigureResult[];
}

function run(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty} (${platform()} ${release()})`;
  } catch {
    // not Linux
  }
  return `${platform()} ${release()}`;
}

export function machine(chromiumVersion: string): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    chromium: chromiumVersion,
  };
}

export function gitState(repo: string): { commit: string; dirty: boolean } {
  const commit = run('git', ['rev-parse', '--short=12', 'HEAD'], repo);
  const status = run('git', ['status', '--porcelain', '--untracked-files=no'], repo);
  return { commit, dirty: status !== '' && status !== 'unknown' };
}

/** Every recorded run, oldest first (malformed lines are skipped). */
export function readRuns(jsonlPath: string): RunRecord[] {
  if (!existsSync(jsonlPath)) return [];
  const out: RunRecord[] = [];
  for (const line of readFileSync(jsonlPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as RunRecord;
      if (Array.isArray(r.figures)) out.push(r);
    } catch {
      // skip
    }
  }
  return out;
}

/**
 * The median of each figure in the latest earlier run that measured it (so a run with
 * `--only=` still compares each figure with its own last measurement).
 */
export function previousMedians(runs: readonly RunRecord[]): Map<string, { median: number; date: string }> {
  const out = new Map<string, { median: number; date: string }>();
  for (const r of runs) for (const f of r.figures) if (f.n > 0) out.set(f.id, { median: f.median, date: r.date });
  return out;
}

export function markdownSection(r: RunRecord, previous: ReadonlyMap<string, { median: number }>): string {
  const m = r.machine;
  const rows = tableRows(r.figures, previous);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const md = [
    `## ${r.date}`,
    '',
    `- Commit \`${r.commit}\`${r.dirty ? ' (with uncommitted changes)' : ''}; flags: ${r.args.length ? r.args.map((a) => `\`${a}\``).join(' ') : 'none'}; took ${Math.round(r.durationS)} s`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; ${m.os}; Node ${m.node}; ${m.chromium}`,
    '',
    `| ${TABLE_HEADER.join(' | ')} |`,
    `|${TABLE_HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(esc).join(' | ')} |`),
    '',
  ];
  return md.join('\n');
}

const MD_HEADER = `# Benchmark results

Written by \`npm run bench\` (test/bench/run.ts), one section per run, newest last. Each
figure is the median of its runs, with min and max; "vs last run" compares the median with
the previous run that measured the same figure. The same data, machine-readable, is in
results.jsonl.

`;

export function appendRun(mdPath: string, jsonlPath: string, record: RunRecord, previous: ReadonlyMap<string, { median: number }>): void {
  if (!existsSync(mdPath)) writeFileSync(mdPath, MD_HEADER);
  appendFileSync(mdPath, `\n${markdownSection(record, previous)}`);
  appendFileSync(jsonlPath, `${JSON.stringify(record)}\n`);
}

export function consoleTable(figures: readonly FigureResult[], previous: ReadonlyMap<string, { median: number }>): string {
  return table(TABLE_HEADER, tableRows(figures, previous));
}
