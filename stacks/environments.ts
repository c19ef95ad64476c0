import { existsSync, readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { EnvironmentConfig } from "./config";
import { type ResolvedEnvironment, resolveEnvironment } from "./defaults";
import {
  checkEnvironment,
  EnvironmentValidationError,
  type ValidationContext,
  type ValidationWarning,
  validateAcrossEnvironments,
  warnAcrossEnvironments,
} from "./validation";
import { defaultContext } from "./validation/checker";

/** One environment file, loaded. */
export interface EnvironmentFile {
  /** Path shown in errors, e.g. "environments/prod.ts". */
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/**
 * Finds `environments/*.ts` (or their compiled `.js`), sorted by name. `sourceDirectory`, when given for
 * compiled files, is the folder of the `.ts` sources: tsc never deletes the output of a removed source,
 * so a compiled environment counts only while its source file still exists.
 */
export function discoverEnvironments(
  directory: string,
  sourceDirectory?: string,
  extension: ".ts" | ".js" = __filename.endsWith(".ts") ? ".ts" : ".js",
): EnvironmentFile[] {
  const sources =
    extension === ".js" && sourceDirectory !== undefined && existsSync(sourceDirectory)
      ? new Set(readdirSync(sourceDirectory))
      : undefined;
  return readdirSync(directory)
    .filter((f) => extname(f) === extension && !f.endsWith(".d.ts"))
    .filter((f) => sources === undefined || sources.has(`${basename(f, extension)}.ts`))
    .sort()
    .map((f) => {
      const loaded = require(join(directory, f)) as { default?: EnvironmentConfig };
      const display = join("environments", `${basename(f, extension)}.ts`);
      if (!loaded.default) {
        throw new EnvironmentValidationError([
          {
            file: display,
            issues: [
              {
                path: "(default export)",
                value: undefined,
                allowed: "the file must `export default` an EnvironmentConfig",
              },
            ],
          },
        ]);
      }
      return { file: display, config: loaded.default };
    });
}

/** Warnings of one environment file. */
export interface EnvironmentWarnings {
  readonly file: string;
  readonly environment: string;
  readonly warnings: readonly ValidationWarning[];
}

/**
 * Validates every environment and resolves defaults. Throws one EnvironmentValidationError listing the
 * problems of every invalid file, so nothing is synthesized while any environment is wrong.
 */
export function loadEnvironments(
  files: readonly EnvironmentFile[],
  context: ValidationContext = defaultContext(),
): ResolvedEnvironment[] {
  return loadEnvironmentsWithWarnings(files, context).environments;
}

/** loadEnvironments, plus the warnings of every file (one entry per file, in file order). */
export function loadEnvironmentsWithWarnings(
  files: readonly EnvironmentFile[],
  context: ValidationContext = defaultContext(),
): { environments: ResolvedEnvironment[]; warnings: EnvironmentWarnings[] } {
  const checked = files.map(({ file, config }) => ({
    file,
    config,
    ...checkEnvironment(config, basename(file, ".ts"), context),
  }));
  const problems = checked.filter((p) => p.issues.length > 0).map(({ file, issues }) => ({ file, issues }));
  // Cross-environment rules only make sense once each file is valid on its own.
  if (problems.length === 0) problems.push(...validateAcrossEnvironments(files));
  if (problems.length > 0) throw new EnvironmentValidationError(problems);
  const across = warnAcrossEnvironments(files);
  return {
    environments: files.map(({ config }) => resolveEnvironment(config)),
    warnings: checked.map(({ file, config, warnings }) => ({
      file,
      environment: config.name,
      warnings: [...warnings, ...across.filter((a) => a.file === file).flatMap((a) => a.warnings)],
    })),
  };
}
