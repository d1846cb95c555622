/**
 * The result rows of `npm run bench`: their shape, the printed table and `bench-results.json`.
 */
import { writeFileSync } from 'node:fs';

/** One line of the results: a Parley figure beside its anchor, measured in the same run. */
export interface Row {
  measure: string;
  /** The Parley figure, or `"error: <reason>"` when the measure could not run. */
  parley: number | string;
  /** The anchor figure, or null when the measure has none. */
  anchor: number | null;
  unit: string;
  /** How Parley compares with the anchor; the goal says which way round. Null without an anchor. */
  ratio: number | null;
  goal: string;
  /** Null when the goal is "reported" only. */
  met: boolean | null;
  /** What was measured and how, when the name alone does not say it. */
  note?: string;
}

/** A row for a measure that failed to run. */
export function errorRow(measure: string, reason: string, goal = ''): Row {
  const oneLine = reason.replace(/\s+/g, ' ').trim().slice(0, 200);
  return { measure, parley: `error: ${oneLine}`, anchor: null, unit: '', ratio: null, goal, met: false };
}

/** Rounds to a precision that suits the size of the number. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function cell(value: number | string | null, unit = ''): string {
  if (value === null) return '-';
  if (typeof value === 'string') return value;
  return unit ? `${round(value)} ${unit}` : String(round(value));
}

/** The table as text: measure, Parley, anchor, ratio, goal, met; notes below it. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['measure', 'Parley', 'anchor', 'ratio', 'goal', 'met'];
  const lines = rows.map((row) => [
    row.measure,
    cell(row.parley, row.unit),
    cell(row.anchor, row.unit),
    row.ratio === null ? '-' : `${round(row.ratio)}x`,
    row.goal,
    row.met === null ? 'reported' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)];
  const notes = rows.filter((row) => row.note);
  if (notes.length) {
    out.push('', 'Notes:');
    for (const row of notes) out.push(`- ${row.measure}: ${row.note}`);
  }
  return out.join('\n');
}

/** Writes `{"rows": [...]}` to `path`. */
export function writeResults(path: string, rows: readonly Row[]): void {
  const clean = rows.map(({ measure, parley, anchor, unit, ratio, goal, met, note }) => ({
    measure,
    parley: typeof parley === 'number' ? round(parley) : parley,
    anchor: anchor === null ? null : round(anchor),
    unit,
    ratio: ratio === null ? null : round(ratio),
    goal,
    met,
    ...(note ? { note } : {}),
  }));
  writeFileSync(path, `${JSON.stringify({ rows: clean }, null, 2)}\n`);
}
