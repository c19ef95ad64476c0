/**
 * The synth-warnings contract: synth writes `cdktf.out/stacks/<env>/synth-warnings.json` with this shape
 * next to cdk.tf.json (always, empty when there is nothing to say), and the plan review reads it, so a
 * warning printed at synth (a Kafka version near or past end of support, a default quota exceeded) is in
 * the pull-request review too. Keep it backwards compatible.
 */
import type { ValidationWarning } from "./validation";

export const SYNTH_WARNINGS_FILE = "synth-warnings.json";

export interface SynthWarningsReport {
  readonly environment: string;
  /** The environment file, e.g. "environments/prod.ts". */
  readonly file: string;
  /** The date the date-dependent checks used, YYYY-MM-DD. */
  readonly today: string;
  readonly warnings: readonly ValidationWarning[];
}
