/**
 * State safety: a local state file that Terraform was killed while writing is empty (or cut short), and
 * Terraform reads an empty file as "nothing deployed": the next apply creates a second copy of everything
 * and a destroy destroys nothing. Every command here that plans or destroys checks the local state first
 * and stops with the backup to restore and the exact command. S3 state is written in one PUT, so it is
 * never half-written (see README, "When a deploy was interrupted").
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";

/** What is wrong with a local state file, and how to get back. */
export interface StateProblem {
  readonly statePath: string;
  readonly problem: "empty" | "unparsable";
  /** Terraform's copy of the previous state (`<state>.backup`), when it is readable. */
  readonly backupPath?: string;
  /** Resources the backup holds. */
  readonly backupResources?: number;
  /** What to run, from the current directory. */
  readonly restore: string;
}

export class DamagedStateError extends Error {
  constructor(readonly problem: StateProblem) {
    super(describeStateProblem(problem));
  }
}

type Json = Record<string, unknown>;

function readJson(path: string): Json | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** A readable Terraform state: a JSON object with a numeric format version and serial. */
function stateResources(path: string): number | undefined {
  const state = readJson(path);
  if (!state || typeof state.version !== "number" || typeof state.serial !== "number") return undefined;
  return Array.isArray(state.resources) ? state.resources.length : 0;
}

/**
 * Where the stack in `stackDir` keeps its state when its backend is local: the `local` backend's path
 * (override files win, as in Terraform), or terraform.tfstate when no backend is configured; undefined for
 * any other backend.
 */
export function localStatePath(stackDir: string): string | undefined {
  const files = readdirSync(stackDir)
    .filter((f) => f.endsWith(".tf.json"))
    .sort((a, b) => Number(a.endsWith("_override.tf.json")) - Number(b.endsWith("_override.tf.json")));
  let backend: { type: string; config: Json } | undefined;
  for (const file of files) {
    const terraform = readJson(join(stackDir, file))?.terraform as Json | undefined;
    const declared = terraform?.backend as Record<string, Json> | undefined;
    const [type] = Object.keys(declared ?? {});
    if (type && declared) backend = { type, config: declared[type] ?? {} };
  }
  if (backend && backend.type !== "local") return undefined;
  const path = typeof backend?.config.path === "string" ? backend.config.path : "terraform.tfstate";
  return isAbsolute(path) ? path : resolve(stackDir, path);
}

/** Checks one local state file; undefined when it is fine or does not exist yet (nothing applied). */
export function checkStateFile(statePath: string, from: string = process.cwd()): StateProblem | undefined {
  if (!existsSync(statePath)) return undefined;
  const empty = statSync(statePath).size === 0 || readFileSync(statePath, "utf8").trim() === "";
  if (!empty && stateResources(statePath) !== undefined) return undefined;
  const backupPath = `${statePath}.backup`;
  const backupResources = existsSync(backupPath) ? stateResources(backupPath) : undefined;
  const show = (path: string) => {
    const rel = relative(from, path);
    return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  };
  const restore =
    backupResources !== undefined
      ? `cp ${show(backupPath)} ${show(statePath)}`
      : `mv ${show(statePath)} ${show(statePath)}.damaged`;
  return {
    statePath: show(statePath),
    problem: empty ? "empty" : "unparsable",
    ...(backupResources !== undefined ? { backupPath: show(backupPath), backupResources } : {}),
    restore,
  };
}

/** The stack's local state problem, if its backend is local and the file is damaged. */
export function checkLocalState(stackDir: string, from: string = process.cwd()): StateProblem | undefined {
  const path = localStatePath(stackDir);
  return path ? checkStateFile(path, from) : undefined;
}

/** Throws DamagedStateError when the stack's local state is damaged: call before any plan or destroy. */
export function assertStateReadable(stackDir: string, from: string = process.cwd()): void {
  const problem = checkLocalState(stackDir, from);
  if (problem) throw new DamagedStateError(problem);
}

export function describeStateProblem(p: StateProblem): string {
  const what =
    p.problem === "empty"
      ? `The local state ${p.statePath} is empty`
      : `The local state ${p.statePath} is not a readable Terraform state`;
  const lines = [
    `${what}: Terraform was probably killed while writing it. Planning with it would create a second copy of ` +
      "everything deployed (and a destroy would destroy nothing), so nothing was run.",
  ];
  if (p.backupPath) {
    lines.push(
      `Terraform's previous state ${p.backupPath} is readable (${p.backupResources} resources). Restore it:`,
      `  ${p.restore}`,
      "It is the state as it was when that apply started, so it misses what the apply created: then run " +
        "`npm run recover -- <env>`, which writes import blocks for those resources, and apply.",
    );
  } else {
    lines.push(
      "There is no readable backup next to it. Move the damaged file aside:",
      `  ${p.restore}`,
      "then run `npm run recover -- <env>`: with no state, it writes import blocks for everything of the " +
        "environment it identifies, so the next apply adopts them instead of creating copies.",
    );
  }
  return lines.join("\n");
}
