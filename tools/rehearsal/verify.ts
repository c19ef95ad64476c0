/**
 * Verification of an applied rehearsal through the AWS API: for every applied resource whose type has a
 * verifier, what the emulator reports is compared with what the synthesized JSON intended (references
 * resolved against the state, provider defaults spelled out). The state itself is only used to find
 * resources (ids, ARNs), never as the expected value.
 */
import type { ResolvedEnvironment } from "../../stacks/defaults";
import { type Applied, Checker, errorName, type Verifier, type VerifyContext } from "./checks";
import type { EmulatorClients } from "./clients";
import type { StackResource } from "./stack";
import { type AppliedState, resolve } from "./state";
import { consumerVerifiers } from "./verify-consumers";
import { exclusiveVerifiers } from "./verify-exclusive";
import { identityVerifiers } from "./verify-identity";
import { networkVerifiers } from "./verify-network";
import { storageVerifiers } from "./verify-storage";

const VERIFIERS: Readonly<Record<string, Verifier>> = {
  ...networkVerifiers,
  ...storageVerifiers,
  ...identityVerifiers,
  ...consumerVerifiers,
  ...exclusiveVerifiers,
};

export interface VerificationResult {
  /** Attribute comparisons made. */
  readonly checked: number;
  /** Mismatches: `address: attribute: intended X, found Y`. */
  readonly failures: readonly string[];
  /** Addresses verified through the API. */
  readonly verified: readonly string[];
  /** Applied addresses whose type has no verifier. */
  readonly unverified: readonly string[];
}

export interface VerifyOptions {
  readonly resources: readonly StackResource[];
  readonly targets: readonly string[];
  readonly state: AppliedState;
  readonly clients: EmulatorClients;
  readonly env: ResolvedEnvironment;
  /** The provider's default_tags from the stack. */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** Verifies every applied resource with a verifier, plus the environment-level network layout. */
export async function verifyApplied(options: VerifyOptions): Promise<VerificationResult> {
  const check = new Checker();
  const applied: Applied[] = [];
  for (const address of options.targets) {
    const resource = options.resources.find((r) => r.address === address);
    const state = options.state.get(address);
    if (!resource || !state) {
      check.fail(address, "targeted but absent from the state after apply");
      continue;
    }
    try {
      applied.push({
        address,
        type: resource.type,
        intended: resolve(resource.config, options.state) as Record<string, unknown>,
        state: state.values,
      });
    } catch (error) {
      check.fail(address, `cannot derive the intended values: ${(error as Error).message}`);
    }
  }
  const context: VerifyContext = {
    clients: options.clients,
    applied,
    defaultTags: options.defaultTags,
    check,
  };
  const verified: string[] = [];
  const unverified: string[] = [];
  // Sequential and simple: a few hundred small calls to a local emulator take seconds.
  for (const resource of applied) {
    const verifier = VERIFIERS[resource.type];
    if (!verifier) {
      unverified.push(resource.address);
      continue;
    }
    try {
      await verifier(resource, context);
    } catch (error) {
      check.fail(resource.address, `API check failed: ${errorName(error)}: ${(error as Error).message}`);
    }
    verified.push(resource.address);
  }
  verifyNetworkLayout(options.env, applied, check);
  return { checked: check.checked, failures: check.failures, verified, unverified };
}

/** The environment's own view: a created VPC has its CIDR and spans exactly its availability zones. */
function verifyNetworkLayout(env: ResolvedEnvironment, applied: readonly Applied[], check: Checker): void {
  const network = env.network;
  if (network.mode !== "create") return;
  const vpcs = applied.filter((r) => r.type === "aws_vpc");
  check.equal(
    `environment ${env.name}`,
    "VPC CIDRs",
    [network.cidr],
    vpcs.map((v) => v.intended.cidr_block),
  );
  const zones = [
    ...new Set(applied.filter((r) => r.type === "aws_subnet").map((s) => s.intended.availability_zone)),
  ];
  check.sameItems(`environment ${env.name}`, "subnet availability zones", network.availabilityZones, zones);
}
