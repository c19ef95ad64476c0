/**
 * Deleting orphans (`npm run recover -- <env> --delete-orphans`): only objects with this environment's
 * tags that the state does not hold and nothing adopts, in dependency order: NAT gateways first (waiting
 * until they are gone releases their Elastic IP association and network interface), then endpoints, flow
 * logs, Elastic IPs, rules, groups, route tables, subnets (their CIDRs are free again), internet gateways,
 * VPCs; then keys (scheduled, never immediate), roles, buckets (only when empty) and the rest.
 */
import type { AwsClients } from "../aws-clients";
import { errorName } from "./live";
import type { Orphan } from "./reconcile";

export interface RemovalResult {
  readonly orphan: Orphan;
  readonly outcome: "removed" | "kept" | "failed";
  readonly detail: string;
}

export async function removeOrphans(
  orphans: readonly Orphan[],
  clients: AwsClients,
  log: (line: string) => void,
): Promise<RemovalResult[]> {
  const ordered = [...orphans].sort((a, b) => (a.kind.removeOrder ?? 100) - (b.kind.removeOrder ?? 100));
  const results: RemovalResult[] = [];
  for (const orphan of ordered) {
    const remove = orphan.kind.remove;
    if (!remove) {
      const detail = `kept: ${orphan.kind.keptBecause ?? "recover does not delete this type"}`;
      log(`  ${orphan.object.label}: ${detail}`);
      results.push({ orphan, outcome: "kept", detail });
      continue;
    }
    try {
      const detail = await remove(clients, orphan.object, log);
      log(`  ${orphan.object.label}: ${detail}`);
      results.push({ orphan, outcome: detail.startsWith("kept") ? "kept" : "removed", detail });
    } catch (error) {
      const detail = `${errorName(error)}: ${(error as Error).message.split("\n")[0]}`;
      log(`  ${orphan.object.label}: FAILED ${detail}`);
      results.push({ orphan, outcome: "failed", detail });
    }
  }
  return results;
}
