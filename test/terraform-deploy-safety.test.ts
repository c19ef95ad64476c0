/**
 * Nothing a local or offline step leaves behind may change which backend or account a later deploy uses.
 * The sequence a new user runs, on a scratch output folder: synth, `npm run plan -- --offline`, the deploy
 * rehearsal's own synth and working copy, synth again (what `npx cdktf synth`, `cdktf diff` and `cdktf
 * deploy` run first). Every stack folder must then hold exactly what synth wrote: the configured backend
 * and the account pin, no override of any kind. The folders start out with what older versions of the
 * offline plan left there (an override, the local-backend record it made `terraform init` write, a saved
 * offline plan, a tfvars file), which must not make the next real `terraform init` stop with "Backend
 * configuration changed".
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { synthesizeAll } from "../stacks/app";
import { resolveEnvironment } from "../stacks/defaults";
import { runPlan } from "../tools/plan";
import { endpointServices, type StackJson, stackResources } from "../tools/rehearsal/stack";
import { resetWorkspace, writeWorkspace } from "../tools/rehearsal/workspace";
import { rehearsalDirs, synthesizeForRehearsal } from "../tools/rehearse";
import {
  OFFLINE_CREDENTIALS,
  terraform,
  terraformEnv,
  terraformVersion,
  writeCliConfig,
  writeOfflineOverride,
} from "../tools/terraform";
import { ENVIRONMENTS, ENVIRONMENTS_DIR, type TerraformJson } from "./support/synth";

const ROOT = join(__dirname, "..", ".build", "deploy-safety");
const OUTDIR = join(ROOT, "cdktf.out");
const names = Object.keys(ENVIRONMENTS);
const stackDir = (name: string) => join(OUTDIR, "stacks", name);
/** Files Terraform loads from a root module folder: configuration, overrides, auto-loaded variables. */
const LOADED = /(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json)$/;

const synth = () => synthesizeAll(ENVIRONMENTS_DIR, OUTDIR, (line) => messages.push(line));
const messages: string[] = [];
/** `terraform init` as cdktf deploy/diff run it (no -reconfigure), with credentials that open nothing. */
const realInit = (name: string) =>
  terraform(
    stackDir(name),
    ["init", "-input=false", "-no-color"],
    terraformEnv(cliConfig(), { ...OFFLINE_CREDENTIALS, AWS_EC2_METADATA_DISABLED: "true" }),
  ).then(
    () => "initialised",
    (error: Error) => error.message,
  );
const cliConfig = () => join(ROOT, "terraform.rc");
const beforeFix: Record<string, string> = {};

beforeAll(async () => {
  terraformVersion();
  rmSync(ROOT, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  writeCliConfig(ROOT);
  expect(synth()).toBe(0);
  // What the offline plan of earlier versions left in every stack folder.
  const offlineEnv = terraformEnv(cliConfig(), OFFLINE_CREDENTIALS);
  await Promise.all(
    names.map(async (name) => {
      writeOfflineOverride(stackDir(name));
      await terraform(stackDir(name), ["init", "-input=false", "-no-color", "-reconfigure"], offlineEnv);
      writeFileSync(join(stackDir(name), "plan.tfplan"), "a saved offline plan");
      writeFileSync(join(stackDir(name), "terraform.tfvars"), "unused = true\n");
      // Proof that the leftovers are a hazard: rid of the override alone, init refuses to go on.
      rmSync(join(stackDir(name), "offline_override.tf.json"));
      beforeFix[name] = await realInit(name);
      writeOfflineOverride(stackDir(name));
    }),
  );
  messages.length = 0;

  // npm run plan -- --offline (one environment planned; the command synthesizes all of them first)
  const planned = await runPlan(
    { environments: [names[0]], offline: true, allowDestroy: false, review: false },
    { root: ROOT, outdir: OUTDIR, synth, environments: names },
  );
  expect(planned).toBe(0);

  // npm run rehearse -- <env>, up to where Terraform would start: its own synth and working copy.
  const env = resolveEnvironment(ENVIRONMENTS[names[0]]);
  const { synthDir, workDir } = rehearsalDirs(ROOT, env.name);
  const stackFile = synthesizeForRehearsal(env, synthDir);
  const stack = JSON.parse(readFileSync(stackFile, "utf8")) as StackJson;
  resetWorkspace(workDir);
  writeWorkspace(workDir, stack, "http://127.0.0.1:1", endpointServices(stackResources(stack)));

  // npx cdktf synth runs the app: the same synth.
  expect(synth()).toBe(0);
}, 600_000);

describe.each(names)("the stack folder of %s after plan --offline, rehearse and synth", (name) => {
  const config = ENVIRONMENTS[name];

  it("holds exactly one Terraform file, the one synth wrote, and no saved plan", () => {
    const files = readdirSync(stackDir(name)).filter((f) => statSync(join(stackDir(name), f)).isFile());
    expect(files.filter((f) => LOADED.test(f))).toEqual(["cdk.tf.json"]);
    expect(files.filter((f) => f.endsWith(".tfplan") || f === "plan.json")).toEqual([]);
  });

  it("carries the configured backend and the account pin", () => {
    const json = JSON.parse(readFileSync(join(stackDir(name), "cdk.tf.json"), "utf8")) as TerraformJson;
    expect(Object.keys(json.terraform.backend ?? {})).toEqual([config.backend.type]);
    if (config.backend.type === "s3")
      expect(json.terraform.backend?.s3).toMatchObject({ bucket: config.backend.bucket, encrypt: true });
    expect(json.provider.aws[0].allowed_account_ids).toEqual([config.accountId]);
  });

  it("said what it removed", () => {
    expect(messages).toEqual(
      expect.arrayContaining([
        `Removed ${join(stackDir(name), "offline_override.tf.json")}: synth did not write it (a deploy must not load it)`,
        `Removed ${join(stackDir(name), "terraform.tfvars")}: synth did not write it (a deploy must not load it)`,
        `Removed ${join(stackDir(name), "plan.tfplan")}: synth did not write it (a deploy must not load it)`,
        `Removed ${join(stackDir(name), ".terraform", "terraform.tfstate")}: synth did not write it (a deploy must not load it)`,
      ]),
    );
  });

  it("lets a real terraform init go on where the leftovers made it stop with 'Backend configuration changed'", async () => {
    expect(beforeFix[name]).toContain("Backend configuration changed");
    const after = await realInit(name);
    expect(after).not.toContain("Backend configuration changed");
    // A local backend initialises offline; an S3 one gets as far as asking AWS for the caller's identity.
    if (config.backend.type === "local") expect(after).toBe("initialised");
    else expect(after).toMatch(/credential|caller identity|STS|no such host|dial tcp/i);
  });
});

it("the offline plan and the rehearsal worked in their own folders under .build/", () => {
  expect(
    existsSync(join(ROOT, ".build", "plan", "offline", "stacks", names[0], "offline_override.tf.json")),
  ).toBe(true);
  expect(
    existsSync(join(ROOT, ".build", "rehearsal", names[0], "terraform", "rehearsal_override.tf.json")),
  ).toBe(true);
});
