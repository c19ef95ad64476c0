import { App } from "cdktf";
import { discoverEnvironments, loadEnvironments } from "./environments";
import { PlatformStack } from "./platform-stack";
import { synthesizeAtomically } from "./synth";
import { EnvironmentValidationError } from "./validation";

/**
 * Validates every environment in `environmentsDir`, then synthesizes one stack per environment into
 * `outdir`. Returns the process exit code; on any invalid environment nothing is written.
 */
export function synthesizeAll(
  environmentsDir: string,
  outdir: string,
  log: (line: string) => void = console.error,
): number {
  try {
    const environments = loadEnvironments(discoverEnvironments(environmentsDir));
    synthesizeAtomically((stagingDir) => {
      const app = new App({ outdir: stagingDir });
      for (const env of environments) new PlatformStack(app, env);
      return app;
    }, outdir);
    log(`Synthesized ${environments.map((e) => e.name).join(", ")} into ${outdir}/stacks/`);
    return 0;
  } catch (error) {
    if (error instanceof EnvironmentValidationError) {
      log(`${error.message}\nNothing was synthesized.`);
      return 1;
    }
    throw error;
  }
}
