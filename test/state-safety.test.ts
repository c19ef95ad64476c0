/**
 * State safety: an empty or unreadable local state (Terraform killed while writing it) is found before
 * any plan or destroy, with the backup to restore and the exact command; `npm run plan` refuses to plan.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPlan } from "../tools/plan";
import {
  assertStateReadable,
  checkLocalState,
  DamagedStateError,
  describeStateProblem,
  localStatePath,
} from "../tools/state-safety";
import { writeOfflineOverride } from "../tools/terraform";

const root = mkdtempSync(join(tmpdir(), "state-safety-"));
const goodState = (resources: number) =>
  JSON.stringify({
    version: 4,
    serial: 7,
    lineage: "x",
    resources: Array.from({ length: resources }, () => ({})),
  });

/** A stack folder like cdktf.out/stacks/<env> with the local backend at `path`. */
function stack(name: string, backend: Record<string, unknown>): string {
  const dir = join(root, "cdktf.out", "stacks", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend }, resource: {} }));
  return dir;
}

describe("where the local state is", () => {
  it("follows the local backend's path, relative to the stack folder, and ignores remote backends", () => {
    expect(localStatePath(stack("a", { local: { path: "../../../terraform.a.tfstate" } }))).toBe(
      join(root, "terraform.a.tfstate"),
    );
    expect(localStatePath(stack("b", { s3: { bucket: "x", key: "y" } }))).toBeUndefined();
    expect(localStatePath(stack("c", { local: {} }))).toBe(
      join(root, "cdktf.out", "stacks", "c", "terraform.tfstate"),
    );
  });

  it("lets an override file win, as Terraform does (the offline and rehearsal overrides)", () => {
    const dir = stack("d", { s3: { bucket: "x", key: "y" } });
    writeOfflineOverride(dir);
    expect(localStatePath(dir)).toBe(join(dir, "terraform.tfstate"));
  });
});

describe("a damaged local state", () => {
  const dir = stack("dev", { local: { path: "../../../terraform.dev.tfstate" } });
  const state = join(root, "terraform.dev.tfstate");

  it("passes when the state is readable or was never written", () => {
    expect(checkLocalState(dir, root)).toBeUndefined();
    writeFileSync(state, goodState(3));
    expect(checkLocalState(dir, root)).toBeUndefined();
  });

  it("is found when empty, and names the readable backup and the exact restore command", () => {
    writeFileSync(state, "");
    writeFileSync(`${state}.backup`, goodState(44));
    const problem = checkLocalState(dir, root);
    expect(problem).toEqual({
      statePath: "terraform.dev.tfstate",
      problem: "empty",
      backupPath: "terraform.dev.tfstate.backup",
      backupResources: 44,
      restore: "cp terraform.dev.tfstate.backup terraform.dev.tfstate",
    });
    const message = describeStateProblem(problem ?? ({} as never));
    expect(message).toContain("The local state terraform.dev.tfstate is empty");
    expect(message).toContain("  cp terraform.dev.tfstate.backup terraform.dev.tfstate");
    expect(message).toContain("npm run recover");
  });

  it("is found when cut short, and without a usable backup says to move it aside and recover", () => {
    writeFileSync(state, '{"version": 4, "serial": 3, "resour');
    writeFileSync(`${state}.backup`, "");
    const problem = checkLocalState(dir, root);
    expect(problem?.problem).toBe("unparsable");
    expect(problem?.backupPath).toBeUndefined();
    expect(problem?.restore).toBe("mv terraform.dev.tfstate terraform.dev.tfstate.damaged");
    expect(() => assertStateReadable(dir, root)).toThrow(DamagedStateError);
  });

  it("stops npm run plan before Terraform runs, with the restore command in its output", async () => {
    writeFileSync(state, "");
    writeFileSync(`${state}.backup`, goodState(2));
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const code = await runPlan(
        { environments: ["dev"], offline: false, allowDestroy: false, review: true },
        { root, outdir: join(root, "cdktf.out"), synth: () => 0, environments: ["dev"] },
      );
      expect(code).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    const output = lines.join("");
    expect(output).toContain("dev: FAILED");
    expect(output).toMatch(/cp \S*terraform\.dev\.tfstate\.backup \S*terraform\.dev\.tfstate\n/);
    expect(output).not.toContain("terraform init");
  });
});
