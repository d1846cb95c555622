/** Waiting for conditions, never for time: poll until true or fail with what was last seen. */
import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** Deadline in ms (generous: the CI box has two cores). Default 30 s. */
  timeout?: number;
  /** Poll interval in ms. Default 100. */
  interval?: number;
}

/**
 * Polls `probe` until `accept` holds for its value, and returns that value. On the deadline, fails
 * with `what` and the last value seen (or the last error thrown), so a red test says why.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean = Boolean,
  { timeout = 30_000, interval = 100 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: { value: T } | { error: unknown } | null = null;
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) {
      const seen =
        last === null
          ? 'nothing'
          : 'error' in last
            ? `an error: ${(last.error as Error)?.message ?? String(last.error)}`
            : JSON.stringify(last.value, null, 1)?.slice(0, 2000);
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}; last saw ${seen}`);
    }
    await sleep(interval);
  }
}
