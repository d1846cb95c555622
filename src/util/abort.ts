/**
 * `AbortSignal.any` where it is missing (Safari before 17.4, older Chromium and Firefox): a signal
 * that aborts, with the first reason, as soon as any of `signals` does.
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  const stops: Array<() => void> = [];
  const abort = (signal: AbortSignal): void => {
    for (const stop of stops) stop();
    controller.abort(signal.reason);
  };
  for (const signal of signals) {
    if (signal.aborted) {
      abort(signal);
      break;
    }
    const onAbort = (): void => abort(signal);
    signal.addEventListener('abort', onAbort, { once: true });
    stops.push(() => signal.removeEventListener('abort', onAbort));
  }
  return controller.signal;
}
