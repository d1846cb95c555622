/** The load must measure delivery, not the abuse limits (those are tested in test/demo/server). */
export const LOAD_RATE_LIMITS = {
  writes: 1_000_000,
  writeWindowMs: 1000,
  socketBurst: 10_000,
  socketRefillPerSec: 10_000,
  socketsPerUser: 10_000,
};
