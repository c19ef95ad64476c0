/**
 * Adding an environment is one file. A copy of staging with a new name, account, CIDR and state bucket,
 * next to copies of the real environment files: the suites' environment list picks it up, the suites
 * synthesize it, `npm run plan -- --offline` plans and reviews it, the rehearsal choice needs no extra
 * rehearsal for it (it adds no resource shape), and the deploy-job test fails naming it until deploy.yml
 * has its job.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { synthesizeAll } from "../stacks/app";
import { environmentNames, offlinePlanDir, runPlan } from "../tools/plan";
import { chooseRehearsals } from "../tools/rehearsal/coverage";
import { type StackJson, stackResources } from "../tools/rehearsal/stack";
import { type PlanJson, plannedResources } from "../tools/terraform";
import { copyEnvironments, environmentsIn, synthJson, writeEnvironment } from "./support/synth";

const ROOT = join(__dirname, "..", ".build", "new-environment");
const ENVIRONMENTS_COPY = join(ROOT, "environments");
const OUTDIR = join(ROOT, "cdktf.out");
const REPO = join(__dirname, "..");

/** environments/staging.ts as a user copies it: name, account, CIDR and state bucket changed. */
function perfFromStaging(): string {
  const staging = readFileSync(join(REPO, "environments", "staging.ts"), "utf8");
  const perf = staging
    .replace('name: "staging"', 'name: "perf"')
    .replace(/const staging\b/, "const perf")
    .replace(/export default staging;/, "export default perf;")
    .replaceAll("222222222222", "444444444444")
    .replace('cidr: "10.20.0.0/16"', 'cidr: "10.40.0.0/16"');
  for (const expected of ['name: "perf"', "444444444444", "10.40.0.0/16", "export default perf"])
    if (!perf.includes(expected)) throw new Error(`staging.ts changed shape: the copy lacks ${expected}`);
  return perf;
}

/** Runs one test file of the suites on the copied environments; returns its exit code and output. */
function suiteOnCopy(file: string, testName: string): { status: number | null; output: string } {
  const run = spawnSync(
    process.execPath,
    [join(REPO, "node_modules", "jest", "bin", "jest.js"), file, "-t", testName, "--ci", "--colors=false"],
    { cwd: REPO, env: { ...process.env, MSK_ENVIRONMENTS_DIR: ENVIRONMENTS_COPY }, encoding: "utf8" },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

let planExit = -1;
let review = "";

beforeAll(async () => {
  rmSync(ROOT, { recursive: true, force: true });
  copyEnvironments(ENVIRONMENTS_COPY);
  writeEnvironment(ENVIRONMENTS_COPY, "perf.ts", perfFromStaging());
  let stdout = "";
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    planExit = await runPlan(
      { environments: ["perf"], offline: true, allowDestroy: false, review: true },
      {
        root: ROOT,
        outdir: OUTDIR,
        synth: () => synthesizeAll(ENVIRONMENTS_COPY, OUTDIR, () => {}),
        environments: environmentNames(ENVIRONMENTS_COPY),
      },
    );
  } finally {
    write.mockRestore();
  }
  review = stdout;
}, 600_000);

describe("a copied environment (perf, from staging)", () => {
  it("is in the environment list every suite iterates", () => {
    expect(Object.keys(environmentsIn(ENVIRONMENTS_COPY))).toContain("perf");
  });

  it("is synthesized by the suites (foundation.test.ts run on the copy)", () => {
    const run = suiteOnCopy("test/foundation.test.ts", "stack perf");
    expect(run.output).toMatch(/stack perf/);
    expect(run.output).toMatch(/Tests: .*\d+ passed/);
    expect(run.status).toBe(0);
  });

  it("is planned offline and reviewed by npm run plan -- --offline", () => {
    expect(planExit).toBe(0);
    const plan = JSON.parse(
      readFileSync(join(offlinePlanDir(ROOT, "perf"), "plan.json"), "utf8"),
    ) as PlanJson;
    const vpc = plannedResources(plan).find((r) => r.type === "aws_vpc");
    expect(vpc?.values.cidr_block).toBe("10.40.0.0/16");
    expect(vpc?.values.tags_all).toMatchObject({ environment: "perf" });
    expect(review).toMatch(/\| perf \| \d+ \| 0 \| 0 \| 0 \| 0 \|/);
    expect(review).toContain("## perf");
  });

  it("adds no rehearsal: it applies no resource shape the chosen environments do not", () => {
    const candidates = (dir: string) =>
      Object.values(environmentsIn(dir)).map((config) => ({
        name: config.name,
        production: config.production,
        resources: stackResources(synthJson(config) as unknown as StackJson),
      }));
    // perf and staging are the same shapes: either may be the one rehearsed, never both.
    const withCopy = chooseRehearsals(candidates(ENVIRONMENTS_COPY)).environments;
    expect(withCopy).toHaveLength(
      chooseRehearsals(candidates(join(REPO, "environments"))).environments.length,
    );
    expect(withCopy.filter((name) => name === "perf" || name === "staging")).toHaveLength(1);
  });

  it("fails the deploy-job test with a message naming it until deploy.yml has its job", () => {
    const run = suiteOnCopy("test/review-workflows.test.ts", "has one deploy job per environment");
    expect(run.status).toBe(1);
    expect(run.output).toContain('environment \\"perf\\" has no deploy job in .github/workflows/deploy.yml');
  });
});
