/**
 * cdktf records a full JavaScript stack trace for every token it creates (each attribute reference, lazy
 * value, complex list item; thousands per stack) only to say where a token was created if resolving it
 * later fails. Capturing and formatting those traces is about a fifth of synth's time, and synth never
 * shows a stack trace to a user anyway. cdktf 0.21.0 (pinned, archived upstream: it will not change under
 * us) has no option for it (`App({ stackTraces: false })` covers only annotations), so synth swaps its
 * capture function for one that records nothing while it builds and synthesizes the stacks.
 *
 * Only the creation stacks are left out: the tokens, their resolution and every error message are the same,
 * less the "Object creation stack" lines.
 */
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as {
  captureStackTrace: (below?: () => unknown) => string[];
};

const noStack = (): string[] => [];

/**
 * Stops the recording for the rest of this process. The test suites do (jest.config.js): under jest every
 * captured trace is also source-mapped, half of a suite's time. A failing resolution still names the token.
 */
export function stopRecordingTokenCreationStacks(): void {
  stackTrace.captureStackTrace = noStack;
}

/** Runs `work` with cdktf recording no token creation stacks, then restores whatever was recording before. */
export function withoutTokenCreationStacks<T>(work: () => T): T {
  const previous = stackTrace.captureStackTrace;
  stackTrace.captureStackTrace = noStack;
  try {
    return work();
  } finally {
    stackTrace.captureStackTrace = previous;
  }
}
