/** Counting and reporting for the load runs: one result shape for both, printed as one block. */

export interface LoadResult {
  name: string;
  /** Messages the driver sent. */
  sent: number;
  /** Deliveries the driver saw (REST: 201 answers; WebSocket: `message:new` frames for its messages). */
  received: number;
  /** Deliveries it expected to see. */
  expected: number;
  /** Sent messages not stored on the server, plus expected deliveries never seen. */
  lost: number;
  /** Messages stored more than once, plus deliveries seen more than once. */
  duplicated: number;
  /** Milliseconds, one per delivery. */
  latencies: number[];
  /** Anything else worth a line (errors by kind, retries, duration). */
  notes: string[];
}

/** The p-th percentile (0..100) of the values, nearest-rank; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`);

export function formatResult(result: LoadResult): string {
  const lines = [
    `${result.name}`,
    `  sent ${result.sent}, received ${result.received}/${result.expected}, lost ${result.lost}, duplicated ${result.duplicated}`,
    `  latency p50 ${ms(percentile(result.latencies, 50))}, p99 ${ms(percentile(result.latencies, 99))}, max ${ms(
      result.latencies.length ? Math.max(...result.latencies) : Number.NaN,
    )} (${result.latencies.length} samples)`,
    ...result.notes.map((note) => `  ${note}`),
    `  ${result.lost === 0 && result.duplicated === 0 ? 'OK' : 'FAILED: messages were lost or duplicated'}`,
  ];
  return lines.join('\n');
}

/** Counts of things by a key, printed as "key x3, other x1". */
export class Tally {
  #counts = new Map<string, number>();

  add(key: string): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  get size(): number {
    return this.#counts.size;
  }

  toString(): string {
    return [...this.#counts].map(([key, count]) => `${key} x${count}`).join(', ');
  }
}
