/**
 * One recovery of one environment: reconcile the account with the state, untaint interrupted creates,
 * clear state entries of gone objects, write the import blocks, list the orphans with their cost and, only
 * when asked, delete those nothing still uses.
 * The command line (tools/recover.ts) adds synth, the real backend and the caller's credentials; the
 * tests call this with the emulator.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AwsClients } from "../aws-clients";
import type { StackJson } from "../rehearsal/stack";
import type { AppliedState } from "../rehearsal/state";
import { RECOVERY_IMPORTS_FILE, writeImports } from "./imports";
import type { EnvironmentIdentity, ResourceKind } from "./live";
import { type ImportBlock, type Orphan, type Reconciliation, reconcile } from "./reconcile";
import { type RemovalResult, removeOrphans } from "./remove";

/** Exit codes of `npm run recover`. */
export const RECOVER_EXIT = {
  /** Nothing to import, no orphan (after --delete-orphans: every orphan deleted). */
  clean: 0,
  /** A deletion failed, or a type could not be listed (the check is incomplete). */
  failed: 1,
  usage: 2,
  /** Imports written, resources untainted or orphans listed: apply (and --delete-orphans). */
  actionNeeded: 4,
} as const;

export interface RecoverOptions {
  readonly env: EnvironmentIdentity;
  /** The stack folder: its cdk.tf.json is read, recovery_imports.tf.json is written next to it. */
  readonly stackDir: string;
  readonly state: AppliedState;
  readonly clients: AwsClients;
  /** Delete the orphans that nothing of the state or adopted still uses. */
  readonly deleteOrphans: boolean;
  /** Report only: no import file, no state change, no deletion (CI after a failed apply). @default false */
  readonly check?: boolean;
  /** The report (stdout). */
  readonly out: (line: string) => void;
  /** Progress (stderr). @default nothing */
  readonly log?: (line: string) => void;
  /** How the user runs this again, for the hints. @default "npm run recover -- <env>" */
  readonly command?: string;
  /** How the user applies, for the hints. @default "npx cdktf deploy <env>" */
  readonly applyCommand?: string;
  readonly kinds?: readonly ResourceKind[];
  /** State addresses whose objects are gone (tools/deployed-state.ts refreshedState). @default none */
  readonly gone?: readonly string[];
  /** State addresses that are tainted (their create was interrupted). @default none */
  readonly tainted?: readonly string[];
  /** Clears their taint, so the next apply completes them in place. @default none (reported only) */
  readonly untaint?: (addresses: readonly string[]) => Promise<void>;
  /**
   * Removes gone entries from the state: an import block is ignored while its address is in the state,
   * so an entry pointing at a deleted object would make the next apply create a second copy instead of
   * adopting the replacement that exists. @default none (such imports are reported, not written)
   */
  readonly forget?: (addresses: readonly string[]) => Promise<void>;
}

export interface RecoverResult {
  readonly reconciliation: Reconciliation;
  /** The import file written, if any. */
  readonly importsFile?: string;
  readonly removals?: readonly RemovalResult[];
  readonly exitCode: number;
}

export const usd = (value: number) => `${value.toFixed(2)} USD/month`;

function orphanLine(o: Orphan): string {
  const cost = o.object.monthlyUsd ? `, ${usd(o.object.monthlyUsd)}` : "";
  const twin = o.duplicateOf ? `, duplicate of ${o.duplicateOf}` : "";
  const kept = o.kind.remove
    ? ""
    : ` (not deleted by recover: ${o.kind.keptBecause ?? "no deletion for this type"})`;
  return `${o.object.label}${cost}${twin}${kept}`;
}

/** What recovery does to the state and the import file (nothing with `check`). */
interface StateFixes {
  readonly tainted: readonly string[];
  /** Imports into addresses whose state entries point at gone objects. */
  readonly replacing: readonly ImportBlock[];
  /** The import blocks to write. */
  readonly imports: readonly ImportBlock[];
  readonly untainted: boolean;
  readonly forgotten: boolean;
}

async function fixState(options: RecoverOptions, result: Reconciliation): Promise<StateFixes> {
  const check = options.check === true;
  const untaint = check ? undefined : options.untaint;
  const forget = check ? undefined : options.forget;
  const tainted = options.tainted ?? [];
  if (tainted.length > 0 && untaint) await untaint(tainted);
  const gone = new Set(options.gone ?? []);
  const replacing = result.imports.filter((i) => gone.has(i.to));
  if (replacing.length > 0 && forget) await forget(replacing.map((i) => i.to));
  return {
    tainted,
    replacing,
    // An import into an address the state still holds would be ignored: without `forget`, leave it out.
    imports: forget || check ? result.imports : result.imports.filter((i) => !gone.has(i.to)),
    untainted: untaint !== undefined,
    forgotten: forget !== undefined,
  };
}

/** A titled list, when it is not empty. */
function section(out: (line: string) => void, title: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  out(`\n${title}`);
  for (const line of lines) out(`  ${line}`);
}

function report(options: RecoverOptions, result: Reconciliation, fixes: StateFixes): void {
  const { out, env } = options;
  const check = options.check === true;
  const command = options.command ?? `npm run recover -- ${env.name}`;
  const applyCommand = options.applyCommand ?? `npx cdktf deploy ${env.name}`;
  const { tainted, replacing, imports } = fixes;
  out(
    `Recovery of ${env.name} (account ${env.accountId}, ${env.region}): ${options.state.size} resources in the ` +
      `state, ${result.managed} of the environment's objects found there.`,
  );
  section(
    out,
    fixes.untainted
      ? `Untainted (${tainted.length}): their create was interrupted after AWS made them; the next apply completes them in place instead of replacing them:`
      : `Tainted (${tainted.length}): the next apply replaces them; \`${command}\` untaints them so that it completes them in place:`,
    tainted,
  );
  section(
    out,
    fixes.forgotten || check
      ? `${check ? "To remove from the state" : "Removed from the state"} (${replacing.length}): their objects no longer exist and a replacement does; the import adopts it:`
      : `Not imported (${replacing.length}): the state still points at objects that no longer exist; remove these entries (terraform state rm) and run recover again:`,
    replacing.map((i) => `${i.to} -> ${i.object.label}`),
  );
  section(
    out,
    `Import (${imports.length}): they exist but the state misses them; the next plan adopts them:`,
    imports.map((i) => `${i.to} <- ${i.object.label}`),
  );
  if (imports.length > 0)
    out(
      check
        ? `Check only: nothing was written. \`${command}\` writes them to ${RECOVERY_IMPORTS_FILE}.`
        : `Written to ${join(options.stackDir, RECOVERY_IMPORTS_FILE)}. Review the plan and apply: ${applyCommand}`,
    );
  const total = result.orphans.reduce((sum, o) => sum + (o.object.monthlyUsd ?? 0), 0);
  section(
    out,
    `Orphans (${result.orphans.length}, ${usd(total)}): this environment's tags, but not in the state and nothing adopts them:`,
    result.orphans.map(orphanLine),
  );
  if (result.orphans.length > 0 && !options.deleteOrphans && !check)
    out(`Delete them with: ${command} --delete-orphans`);
  section(
    out,
    `Left alone (${result.conflicts.length}): a name this stack gives, but tagged for another environment or project:`,
    result.conflicts,
  );
  section(
    out,
    `Not checked (${result.unlisted.length}): these types could not be listed, so recovery is incomplete for them:`,
    result.unlisted,
  );
  if (imports.length + result.orphans.length + result.conflicts.length + tainted.length === 0)
    out("\nNothing to import and no orphans: the state and the account agree.");
}

/** Deletes the orphans nothing of the state or adopted still uses; the others wait for the apply. */
async function deleteOrphans(options: RecoverOptions, result: Reconciliation): Promise<RemovalResult[]> {
  const { out, env } = options;
  const command = options.command ?? `npm run recover -- ${env.name}`;
  const applyCommand = options.applyCommand ?? `npx cdktf deploy ${env.name}`;
  const inUse = result.orphans.filter((o) => result.inUse.has(o.object.id));
  const free = result.orphans.filter((o) => !result.inUse.has(o.object.id));
  section(
    out,
    `Not deleting ${inUse.length} orphan(s) yet: the state or an adopted object still uses them. Apply ` +
      `(${applyCommand}), then run ${command} --delete-orphans again:`,
    inUse.map((o) => o.object.label),
  );
  if (free.length === 0) return [];
  out(`\nDeleting ${free.length} orphan(s):`);
  return removeOrphans(free, options.clients, out);
}

export async function recover(options: RecoverOptions): Promise<RecoverResult> {
  const { env, out } = options;
  const log = options.log ?? (() => {});
  const command = options.command ?? `npm run recover -- ${env.name}`;
  const stack = JSON.parse(readFileSync(join(options.stackDir, "cdk.tf.json"), "utf8")) as StackJson;
  log(`recover: listing what exists for ${env.prefix} in account ${env.accountId}, ${env.region}`);
  const result = await reconcile({
    stack,
    state: options.state,
    env,
    clients: options.clients,
    kinds: options.kinds,
    log,
  });
  const fixes = await fixState(options, result);
  const importsFile =
    options.check === true
      ? undefined
      : writeImports(
          options.stackDir,
          fixes.imports,
          `Written by \`${command}\`: objects that exist but are missing from the state. The next plan imports ` +
            "them instead of creating them again; re-running recover rewrites or removes this file.",
        );
  report(options, result, fixes);
  const removals =
    options.deleteOrphans && options.check !== true && result.orphans.length > 0
      ? await deleteOrphans(options, result)
      : undefined;
  out(
    removals && removals.length > 0
      ? "Only the orphans above were changed in AWS."
      : "No AWS resource was changed.",
  );

  const removed = (removals ?? []).filter((r) => r.outcome === "removed").length;
  const failed = (removals ?? []).filter((r) => r.outcome === "failed").length;
  const pending =
    fixes.imports.length + (result.orphans.length - removed) + result.conflicts.length + fixes.tainted.length;
  const exitCode =
    failed > 0 || result.unlisted.length > 0
      ? RECOVER_EXIT.failed
      : pending > 0
        ? RECOVER_EXIT.actionNeeded
        : RECOVER_EXIT.clean;
  return { reconciliation: result, importsFile, removals, exitCode };
}
