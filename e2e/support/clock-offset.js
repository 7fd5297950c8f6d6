// Preloaded into an app instance (NODE_OPTIONS="--require <this file>") to give it a clock that is off by
// CV_TEST_CLOCK_OFFSET_MS milliseconds (negative: behind), as a server whose NTP has drifted would be: Date.now()
// answers the shifted time. Used by the suites that check what must hold between instances whose clocks differ
// (e2e/api/integrations/api-key-replay.e2e-spec.ts). Never loaded outside the tests.
const offset = Number(process.env.CV_TEST_CLOCK_OFFSET_MS ?? 0);
if (!Number.isFinite(offset)) throw new Error(`CV_TEST_CLOCK_OFFSET_MS is not a number: ${process.env.CV_TEST_CLOCK_OFFSET_MS}`);
const realNow = Date.now;
Date.now = () => realNow() + offset;
