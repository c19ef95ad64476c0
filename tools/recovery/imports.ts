/**
 * Where recovery's import blocks live: `recovery_imports.tf.json` next to the synthesized cdk.tf.json.
 * Terraform reads every *.tf.json of the folder, so `terraform plan/apply` there, `npx cdktf diff/deploy`
 * and `npm run plan` all adopt the objects; synth replaces only the files it generates, so the file
 * survives re-synthesis until the next `npm run recover` rewrites or removes it. An import block of an
 * object that is already in the state is a no-op, so applying twice is harmless.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImportBlock } from "./reconcile";

export const RECOVERY_IMPORTS_FILE = "recovery_imports.tf.json";

interface ImportsFile {
  readonly "//"?: string;
  readonly import?: readonly { readonly to: string; readonly id: string }[];
}

/** Writes the import blocks (or removes a stale file when there are none); returns the file, if written. */
export function writeImports(
  stackDir: string,
  imports: readonly ImportBlock[],
  note: string,
): string | undefined {
  const path = join(stackDir, RECOVERY_IMPORTS_FILE);
  if (imports.length === 0) {
    rmSync(path, { force: true });
    return undefined;
  }
  const file: ImportsFile = {
    "//": note,
    import: [...imports].sort((a, b) => a.to.localeCompare(b.to)).map((i) => ({ to: i.to, id: i.id })),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}

/** The import blocks a stack folder holds (none when there is no file). */
export function pendingImports(stackDir: string): { to: string; id: string }[] {
  const path = join(stackDir, RECOVERY_IMPORTS_FILE);
  if (!existsSync(path)) return [];
  return [...((JSON.parse(readFileSync(path, "utf8")) as ImportsFile).import ?? [])];
}
