/**
 * `npm run bench` (tools/bench.ts): a failed row says why and the table still prints; the generated
 * environments of row (e) are valid environments the app synthesizes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverEnvironments, loadEnvironments } from "../stacks/environments";
import { generateEnvironments, measure, RowFailure, run } from "../tools/bench";
import { ENVIRONMENTS } from "./support/synth";

describe("a benchmark row", () => {
  const quiet = () => jest.spyOn(process.stderr, "write").mockImplementation(() => true);

  it("that fails becomes a table row saying why, never a stack trace", () => {
    const stderr = quiet();
    try {
      const failed = measure({
        id: "x",
        label: "(x) a command that fails",
        target: "<= 1 s",
        runs: 3,
        once: () =>
          run(process.execPath, [
            "-e",
            "console.error('Error: environments/perf.ts is broken'); process.exit(3)",
          ]),
      });
      expect(failed.failed).toBe(true);
      expect(failed.cells[0]).toBe("(x) a command that fails");
      expect(failed.cells[1]).toMatch(
        /^FAILED: node -e .* exited 3: Error: environments\/perf\.ts is broken$/,
      );
      const broken = measure({
        id: "y",
        label: "(y)",
        target: "",
        runs: 1,
        once: () => {
          throw new RowFailure("no dist/");
        },
      });
      expect(broken.cells[1]).toBe("FAILED: no dist/");
      const unexpected = measure({
        id: "z",
        label: "(z)",
        target: "",
        runs: 1,
        once: () => {
          throw new Error("boom");
        },
      });
      expect(unexpected.cells[1]).toBe("FAILED: unexpected: boom");
    } finally {
      stderr.mockRestore();
    }
  });

  it("that succeeds reports the median", () => {
    const stderr = quiet();
    try {
      const ok = measure({ id: "o", label: "(o)", target: "<= 9 s", runs: 3, once: () => ({ seconds: 2 }) });
      expect(ok).toEqual({ cells: ["(o)", "2.00 s", "<= 9 s", "3", ""], failed: false });
    } finally {
      stderr.mockRestore();
    }
  });
});

describe("row (e): generated environments", () => {
  it("are valid, distinct environments (names, accounts, CIDRs, state keys)", () => {
    const dir = mkdtempSync(join(tmpdir(), "msk-bench-envs-"));
    generateEnvironments(dir, 12, Object.values(ENVIRONMENTS));
    const environments = loadEnvironments(discoverEnvironments(dir, undefined, ".js"));
    expect(environments).toHaveLength(12);
    expect(new Set(environments.map((e) => e.accountId)).size).toBe(12);
    expect(new Set(environments.map((e) => e.name)).size).toBe(12);
  });
});
