import type { IConstruct } from "constructs";

/** Metadata key under which exceptions are stored on a construct's node. */
export const POLICY_EXCEPTION_METADATA = "msk-platform:policy-exception";

/** A deliberate, reviewed exception to a guardrail, written next to the resource it concerns. */
export interface PolicyException {
  /**
   * Guardrail rule ids and/or the checkov/trivy ids they mirror (e.g. "CKV_AWS_18", "AVD-AWS-0089").
   * A rule is excepted when its own id or any id it mirrors is listed.
   */
  readonly checks: readonly string[];
  /** Why the exception is right for this resource; shown in the synth summary and the plan review. */
  readonly reason: string;
}

/** Declares an exception on a resource (or any construct: it then covers the resources beneath it). */
export function declarePolicyException(construct: IConstruct, exception: PolicyException): void {
  if (exception.checks.length === 0 || exception.reason.trim().length < 10) {
    throw new Error(
      `policy exception on ${construct.node.path} needs at least one check id and a real reason`,
    );
  }
  construct.node.addMetadata(POLICY_EXCEPTION_METADATA, exception);
}

/** Exceptions declared on this construct and on its ancestors. */
export function policyExceptionsOf(construct: IConstruct): PolicyException[] {
  return construct.node.scopes.flatMap((scope) =>
    scope.node.metadata
      .filter((m) => m.type === POLICY_EXCEPTION_METADATA)
      .map((m) => m.data as PolicyException),
  );
}
