/**
 * `npm run bench`: median wall time of the edit-loop commands on this machine, plus peak memory of the
 * app's synth. A benchmark, not a test: it prints a Markdown table for the README and never fails on time.
 *   npm run bench -- [--runs N]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;

interface Sample {
  readonly seconds: number;
  readonly peakRssKb?: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}${result.stdout}`,
    );
  }
  const rss = /PEAK_RSS_KB=(\d+)/.exec(result.stderr ?? "");
  return { seconds, peakRssKb: rss ? Number(rss[1]) : undefined };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(label: string, target: string, times: number, once: () => Sample): string[] {
  const samples: Sample[] = [];
  for (let i = 0; i < times; i++) samples.push(once());
  const seconds = median(samples.map((s) => s.seconds));
  const rss = samples.map((s) => s.peakRssKb).filter((v): v is number => v !== undefined);
  const memory = rss.length ? `${(Math.max(...rss) / 1024).toFixed(0)} MiB` : "";
  process.stderr.write(`${label}: ${seconds.toFixed(2)} s ${memory}\n`);
  return [label, `${seconds.toFixed(2)} s`, target, String(times), memory];
}

function main(): void {
  const outdir = mkdtempSync(join(tmpdir(), "msk-bench-"));
  try {
    const rows = [
      measure("(a) app synth, all environments (`node dist/main.js`)", "<= 1.0 s", runs, () =>
        run(process.execPath, ["-r", "./dist/tools/peak-rss.js", "dist/main.js"], { CDKTF_OUTDIR: outdir }),
      ),
      measure("(b) `cdktf synth` through the CLI", "<= 5 s", runs, () =>
        run(join(root, "node_modules", ".bin", "cdktf"), ["synth", "--output", outdir]),
      ),
      measure("(c) unit tests (`npm run test:unit`)", "<= 10 s", Math.min(runs, 3), () =>
        run(join(root, "node_modules", ".bin", "jest"), [
          "--testPathIgnorePatterns",
          "terraform",
          "rehearsal\\.test",
          "review\\.test",
        ]),
      ),
      measure("(d) Terraform suite (`npm run test:terraform`)", "<= 60 s", Math.min(runs, 3), () =>
        run(join(root, "node_modules", ".bin", "jest"), ["test/terraform"]),
      ),
    ];
    const date = new Date().toISOString().slice(0, 10);
    const header = `Measured ${date} on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), node ${process.version}.`;
    const table = [
      "| what | median | target | runs | peak memory |",
      "| --- | --- | --- | --- | --- |",
      ...rows.map((r) => `| ${r.join(" | ")} |`),
    ];
    process.stdout.write(`${header}\n\n${table.join("\n")}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main();
