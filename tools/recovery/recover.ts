/**
 * One recovery of one environment: reconcile the account with the state, write the import blocks, list
 * the orphans with their cost and, only when asked and only once nothing is left to import, delete them.
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
import { type Orphan, type Reconciliation, reconcile } from "./reconcile";
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
  return `  ${o.object.label}${cost}${twin}${kept}`;
}

export async function recover(options: RecoverOptions): Promise<RecoverResult> {
  const { env, out } = options;
  const log = options.log ?? (() => {});
  const command = options.command ?? `npm run recover -- ${env.name}`;
  const applyCommand = options.applyCommand ?? `npx cdktf deploy ${env.name}`;
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
  const { orphans, unlisted, conflicts } = result;
  const check = options.check === true;
  const untaintState = check ? undefined : options.untaint;
  const forget = check ? undefined : options.forget;
  const tainted = options.tainted ?? [];
  if (tainted.length > 0 && untaintState) await untaintState(tainted);
  const gone = new Set(options.gone ?? []);
  const replacing = result.imports.filter((i) => gone.has(i.to));
  if (replacing.length > 0 && forget) await forget(replacing.map((i) => i.to));
  // Without `forget`, an import into an address the state still holds would be ignored: leave it out.
  const imports = forget || check ? result.imports : result.imports.filter((i) => !gone.has(i.to));

  out(
    `Recovery of ${env.name} (account ${env.accountId}, ${env.region}): ${options.state.size} resources in the ` +
      `state, ${result.managed} of the environment's objects found there.`,
  );
  const importsFile = check
    ? undefined
    : writeImports(
        options.stackDir,
        imports,
        `Written by \`${command}\`: objects that exist but are missing from the state. The next plan imports ` +
          "them instead of creating them again; re-running recover rewrites or removes this file.",
      );
  if (tainted.length > 0) {
    out(
      untaintState
        ? `\nUntainted (${tainted.length}): their create was interrupted after AWS made them; the next apply completes them in place instead of replacing them:`
        : `\nTainted (${tainted.length}): the next apply replaces them; \`${command}\` untaints them so that it completes them in place:`,
    );
    for (const address of tainted) out(`  ${address}`);
  }
  if (replacing.length > 0) {
    out(
      forget || check
        ? `\n${check ? "To remove from the state" : "Removed from the state"} (${replacing.length}): their objects no longer exist and a replacement does; the import adopts it:`
        : `\nNot imported (${replacing.length}): the state still points at objects that no longer exist; remove these entries (terraform state rm) and run recover again:`,
    );
    for (const i of replacing) out(`  ${i.to} -> ${i.object.label}`);
  }
  if (imports.length > 0) {
    out(`\nImport (${imports.length}): they exist but the state misses them; the next plan adopts them:`);
    for (const i of imports) out(`  ${i.to} <- ${i.object.label}`);
    out(
      check
        ? `Check only: nothing was written. \`${command}\` writes them to ${RECOVERY_IMPORTS_FILE}.`
        : `Written to ${join(options.stackDir, RECOVERY_IMPORTS_FILE)}. Review the plan and apply: ${applyCommand}`,
    );
  }
  const total = orphans.reduce((sum, o) => sum + (o.object.monthlyUsd ?? 0), 0);
  if (orphans.length > 0) {
    out(
      `\nOrphans (${orphans.length}, ${usd(total)}): this environment's tags, but not in the state and nothing ` +
        "adopts them:",
    );
    for (const o of orphans) out(orphanLine(o));
  }
  if (conflicts.length > 0) {
    out(
      `\nLeft alone (${conflicts.length}): a name this stack gives, but tagged for another environment or project:`,
    );
    for (const c of conflicts) out(`  ${c}`);
  }
  if (unlisted.length > 0) {
    out(
      `\nNot checked (${unlisted.length}): these types could not be listed, so recovery is incomplete for them:`,
    );
    for (const u of unlisted) out(`  ${u}`);
  }
  if (imports.length === 0 && orphans.length === 0 && conflicts.length === 0 && tainted.length === 0)
    out("\nNothing to import and no orphans: the state and the account agree.");

  let removals: RemovalResult[] | undefined;
  if (options.deleteOrphans && orphans.length > 0 && !check) {
    // An orphan that something of the state, or something adopted, still uses waits for the apply.
    const inUse = orphans.filter((o) => result.inUse.has(o.object.id));
    const free = orphans.filter((o) => !result.inUse.has(o.object.id));
    if (inUse.length > 0) {
      out(
        `\nNot deleting ${inUse.length} orphan(s) yet: the state or an adopted object still uses them. Apply ` +
          `(${applyCommand}), then run ${command} --delete-orphans again:`,
      );
      for (const o of inUse) out(`  ${o.object.label}`);
    }
    if (free.length > 0) {
      out(`\nDeleting ${free.length} orphan(s):`);
      removals = await removeOrphans(free, options.clients, out);
    }
  } else if (orphans.length > 0) {
    out(
      imports.length > 0
        ? `\nAfter the apply, delete the orphans with: ${command} --delete-orphans`
        : `\nDelete them with: ${command} --delete-orphans`,
    );
  }
  if (!removals) out("Nothing in AWS was changed.");
  else out("Only the orphans above were changed in AWS.");

  const failedRemovals = (removals ?? []).filter((r) => r.outcome === "failed").length;
  const left = orphans.length - (removals ?? []).filter((r) => r.outcome === "removed").length;
  const exitCode =
    failedRemovals > 0 || unlisted.length > 0
      ? RECOVER_EXIT.failed
      : imports.length > 0 || left > 0 || conflicts.length > 0 || tainted.length > 0
        ? RECOVER_EXIT.actionNeeded
        : RECOVER_EXIT.clean;
  return { reconciliation: result, importsFile, removals, exitCode };
}
