/** The rehearsal report as text: what was applied, left out, verified, drifted and left behind. */
import { formatDrift } from "./drift";
import type { RehearsalReport } from "./run";

export function formatReport(report: RehearsalReport): string {
  const lines: string[] = [
    `Deploy rehearsal of ${report.env}${report.endpoint ? ` (emulator ${report.endpoint})` : ""}`,
  ];
  const section = (title: string, items: readonly string[]) => {
    lines.push(`${title} (${items.length}):`);
    for (const item of items) lines.push(`  ${item}`);
  };

  section(
    "Left out of the rehearsal (plan-only; the emulator cannot take them)",
    report.excluded.map((e) => `${e.address}: ${e.reason}`),
  );
  section("Emulator corrections (where moto differs from AWS)", report.emulatorCorrections);
  if ((report.seededObjects ?? []).length > 0) {
    section(
      "Placeholder packages put into the emulator (function code published outside the stack)",
      report.seededObjects ?? [],
    );
  }
  section("prevent_destroy lifted in the rehearsal copy only", report.liftedPreventDestroy);
  lines.push(`Apply of ${report.targets.length} resources: ${report.applied ? "ok" : "FAILED"}`);

  const v = report.verification;
  if (v) {
    lines.push(
      `Verification through the AWS API: ${v.failures.length === 0 ? "ok" : "FAILED"}, ` +
        `${v.checked} checks on ${v.verified.length} resources`,
    );
    for (const failure of v.failures) lines.push(`  MISMATCH ${failure}`);
    if (v.unverified.length > 0) {
      section("  Applied but not checked through the API (no verifier for their type)", v.unverified);
    }
  }

  if (report.drift) {
    lines.push(
      `Second plan: ${report.drift.length === 0 ? "no changes" : `${report.drift.length} perpetual diff(s)`}`,
    );
    for (const d of report.drift) lines.push(...formatDrift(d).map((l) => `  ${l}`));
  }

  if (report.leftovers) {
    lines.push(
      `Destroy: ${report.destroyed ? "ok" : "FAILED"}; left in the emulator: ${report.leftovers.length === 0 ? "nothing" : report.leftovers.length}`,
    );
    for (const left of report.leftovers) lines.push(`  LEFT ${left}`);
    section("  Scheduled for deletion, as AWS does", report.scheduledDeletions ?? []);
  }

  for (const error of report.errors) lines.push(`ERROR ${error}`);
  lines.push(`Phases: ${report.phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(", ")}`);
  lines.push(`Result: ${report.ok ? "PASSED" : "FAILED"}`);
  return lines.join("\n");
}
