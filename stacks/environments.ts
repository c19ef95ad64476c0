import { existsSync, readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { EnvironmentConfig } from "./config";
import { type ResolvedEnvironment, resolveEnvironment } from "./defaults";
import { EnvironmentValidationError, validateAcrossEnvironments, validateEnvironment } from "./validation";

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

/**
 * Validates every environment and resolves defaults. Throws one EnvironmentValidationError listing the
 * problems of every invalid file, so nothing is synthesized while any environment is wrong.
 */
export function loadEnvironments(files: readonly EnvironmentFile[]): ResolvedEnvironment[] {
  const problems = files
    .map(({ file, config }) => ({ file, issues: validateEnvironment(config, basename(file, ".ts")) }))
    .filter((p) => p.issues.length > 0);
  // Cross-environment rules only make sense once each file is valid on its own.
  if (problems.length === 0) problems.push(...validateAcrossEnvironments(files));
  if (problems.length > 0) throw new EnvironmentValidationError(problems);
  return files.map(({ config }) => resolveEnvironment(config));
}
