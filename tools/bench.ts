/**
 * `npm run bench`: median wall time of the edit-loop commands on this machine, plus peak memory of the
 * app's synth. A benchmark, not a test: it prints a Markdown table for the README and never fails on time.
 * A row whose command fails says why in the table (the rest still runs); the exit code is then 1.
 *   npm run bench -- [--runs N] [--only a,e,...]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { EnvironmentConfig } from "../stacks/config";
import { discoverEnvironments } from "../stacks/environments";

const root = join(__dirname, "..", "..");

/** Environments generated for row (e). */
export const GENERATED_ENVIRONMENTS = 50;

interface Sample {
  readonly seconds: number;
  readonly peakRssKb?: number;
}

/** A command of a row that failed: what ran and the end of what it printed. */
export class RowFailure extends Error {}

export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, [...args], {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.error) throw new RowFailure(`${basename(command)} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stderr ?? ""}${result.stdout ?? ""}`.trim().split("\n");
    const reason = output.filter((l) => /fail|error|✕|●|invalid|cannot/i.test(l)).slice(0, 3);
    throw new RowFailure(
      `${basename(command)} ${args.join(" ")} exited ${result.status ?? result.signal}: ${(reason.length > 0 ? reason : output.slice(-3)).join(" / ")}`,
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

export interface Row {
  readonly id: string;
  readonly label: string;
  readonly target: string;
  readonly runs: number;
  /** Work done once before the timed runs (not timed). */
  readonly prepare?: () => void;
  readonly once: () => Sample;
}

/** Measures one row; a failure becomes the row's text instead of ending the benchmark. */
export function measure(row: Row): { cells: string[]; failed: boolean } {
  try {
    row.prepare?.();
    const samples: Sample[] = [];
    for (let i = 0; i < row.runs; i++) samples.push(row.once());
    const seconds = median(samples.map((s) => s.seconds));
    const rss = samples.map((s) => s.peakRssKb).filter((v): v is number => v !== undefined);
    const memory = rss.length ? `${(Math.max(...rss) / 1024).toFixed(0)} MiB` : "";
    process.stderr.write(`bench: ${row.label}: ${seconds.toFixed(2)} s ${memory}\n`);
    return {
      cells: [row.label, `${seconds.toFixed(2)} s`, row.target, String(row.runs), memory],
      failed: false,
    };
  } catch (error) {
    const why = error instanceof RowFailure ? error.message : `unexpected: ${(error as Error).message}`;
    process.stderr.write(`bench: ${row.label}: FAILED (${why})\n`);
    return { cells: [row.label, `FAILED: ${why.replaceAll("|", "/")}`, row.target, "0", ""], failed: true };
  }
}

/**
 * Writes `count` environments as compiled files (what tsc makes of environments/*.ts) into `dir`: the
 * repository's environments in turn, each with its own name, account (in every ARN that named the source's),
 * CIDR, state key and a cluster not yet shared.
 */
export function generateEnvironments(
  dir: string,
  count: number,
  sources: readonly EnvironmentConfig[],
): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length];
    const name = `gen-${String(i).padStart(3, "0")}`;
    const accountId = String(500000000000 + i);
    const network =
      source.network.mode === "create"
        ? { ...source.network, cidr: `10.${100 + (i % 150)}.0.0/16` }
        : source.network;
    const backend =
      source.backend.type === "s3"
        ? { ...source.backend, bucket: `bench-state-${accountId}` }
        : source.backend;
    // Bucket names are global: a fixed sink bucket name gets the account appended.
    const sink = source.sink?.bucketName
      ? { ...source.sink, bucketName: `${source.sink.bucketName}-${accountId}` }
      : source.sink;
    // The new account everywhere the source named its own (functions, roles, keys it refers to), and a new
    // cluster, which does not exist yet: sharing starts at step 1, without sharing.clusterArn.
    const own = JSON.parse(
      JSON.stringify(source).replaceAll(source.accountId, accountId),
    ) as EnvironmentConfig;
    const sharing = own.sharing && { ...own.sharing, clusterArn: undefined };
    const config: EnvironmentConfig = { ...own, name, accountId, network, backend, sink, sharing };
    writeFileSync(join(dir, `${name}.js`), `"use strict";\nexports.default = ${JSON.stringify(config)};\n`);
  }
}

function main(): number {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
  const onlyArg = process.argv.indexOf("--only");
  const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(",")) : undefined;
  const scratch = mkdtempSync(join(tmpdir(), "msk-bench-"));
  const outdir = join(scratch, "out");
  const generated = join(scratch, "environments");
  const jest = join(root, "node_modules", ".bin", "jest");
  const rows: Row[] = [
    {
      id: "a",
      label: "(a) app synth, all environments (`node dist/main.js`)",
      target: "<= 0.5 s",
      runs,
      once: () =>
        run(process.execPath, ["-r", "./dist/tools/peak-rss.js", "dist/main.js"], { CDKTF_OUTDIR: outdir }),
    },
    {
      id: "b",
      label: "(b) `cdktf synth` through the CLI",
      target: "<= 5 s",
      runs,
      once: () => run(join(root, "node_modules", ".bin", "cdktf"), ["synth", "--output", outdir]),
    },
    {
      id: "c",
      label: "(c) unit tests (`npm run test:unit`)",
      target: "<= 10 s",
      runs: Math.min(runs, 3),
      // The same selection as `npm run test:unit` (package.json).
      once: () =>
        run(jest, [
          "--testPathIgnorePatterns",
          "terraform",
          "rehearsal\\.test",
          "review\\.test",
          "recovery\\.test",
          "recovery-long",
        ]),
    },
    {
      id: "d",
      label: "(d) Terraform suite (`npm run test:terraform`)",
      target: "<= 60 s",
      runs: Math.min(runs, 3),
      once: () => run(jest, ["test/terraform"]),
    },
    {
      id: "e",
      label: `(e) app synth of ${GENERATED_ENVIRONMENTS} generated environments (scratch copy)`,
      target: "<= 2.5 s",
      runs,
      prepare: () => {
        const sources = discoverEnvironments(
          join(root, "dist", "environments"),
          join(root, "environments"),
          ".js",
        );
        if (sources.length === 0) throw new RowFailure("no environments to copy (run npm run build)");
        generateEnvironments(
          generated,
          GENERATED_ENVIRONMENTS,
          sources.map((s) => s.config),
        );
      },
      once: () =>
        run(process.execPath, [
          "-r",
          "./dist/tools/peak-rss.js",
          "-e",
          `process.exitCode = require("./dist/stacks/app").synthesizeAll(${JSON.stringify(generated)}, ${JSON.stringify(join(scratch, "generated-out"))}, () => {})`,
        ]),
    },
    {
      id: "f",
      label: "(f) `npm run synth`, no source change, build included",
      target: "<= 1.0 s",
      runs,
      once: () => run("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir }),
    },
  ].filter((row) => only === undefined || only.has(row.id));
  try {
    const results = rows.map(measure);
    const date = new Date().toISOString().slice(0, 10);
    const header = `Measured ${date} on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), node ${process.version}.`;
    const table = [
      "| what | median | target | runs | peak memory |",
      "| --- | --- | --- | --- | --- |",
      ...results.map((r) => `| ${r.cells.join(" | ")} |`),
    ];
    process.stdout.write(`${header}\n\n${table.join("\n")}\n`);
    const failed = results.filter((r) => r.failed).length;
    if (failed > 0) process.stderr.write(`bench: ${failed} row(s) failed; see the table\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
