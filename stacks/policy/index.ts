import type { TerraformStack } from "cdktf";
import type { PlatformStack } from "../platform-stack";
import { declareEnvironmentOptIns } from "./opt-ins";
import { PolicyPack } from "./pack";

export {
  type DeclaredException,
  evaluatedTerraformOr,
  exceptionCovers,
  PolicyPack,
  type PolicyPackProps,
} from "./pack";
export { POLICY_REPORT_FILE, type PolicyFinding, type PolicyReport } from "./report";
export type { PolicyRule } from "./rule";
export { POLICY_RULES } from "./rules";

/** Declares the environment's opt-ins and adds the policy pack: every synth of the stack evaluates it. */
export function applyGuardrails(stack: PlatformStack): PolicyPack {
  declareEnvironmentOptIns(stack);
  return PolicyPack.apply(stack, {
    environment: stack.env.name,
    production: stack.env.production,
    sharedPrincipals: stack.env.sharing.accounts.flatMap((account) => account.principals),
  });
}

/**
 * The same pack on a client stack (`<env>-client-<name>`), reported under the stack's own name (its folder),
 * with the production rules of its environment.
 */
export function applyClientGuardrails(stack: TerraformStack, production: boolean): PolicyPack {
  return PolicyPack.apply(stack, { environment: stack.node.id, production });
}
