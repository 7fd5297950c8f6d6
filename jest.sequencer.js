const Sequencer = require('@jest/test-sequencer').default;

/**
 * Which suites a run starts first. Jest's own order: a suite that failed last time, then the longest by the
 * durations it cached on an earlier run; with no cache (a fresh clone, as in CI) it falls back to the largest files,
 * and a 150-second browser suite in a small file can then start last while the other worker idles. Here, suites with
 * no cached duration go by tier, longest first — browser, API e2e, medium, unit — then by size, so the short
 * unit and medium suites fill both workers at the end.
 */
const TIER = { browser: 0, e2e: 1, medium: 2, unit: 3 };

class TierSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((t) => t.duration != null)) return sorted;
    const tier = (t) => TIER[t.context.config.displayName?.name] ?? 1;
    // Array.prototype.sort is stable: within a tier the default order (largest file first) stands.
    return [...sorted].sort((a, b) => tier(a) - tier(b));
  }
}

module.exports = TierSequencer;
