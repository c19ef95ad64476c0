import type { ResolvedClientVpc, ResolvedEnvironment } from "./defaults";

/**
 * Names of the Terraform stacks an environment file makes. Plain functions without construct imports, so
 * tools (plan review, workflows' tests) can name stacks without loading CDKTF.
 */

/** Provider default tag that marks a client stack's resources with its client VPC's name. */
export const CLIENT_VPC_TAG = "client-vpc";

/** The stack of one client VPC of an environment: `<env>-client-<name>`. */
export function clientStackName(environment: string, clientVpc: string): string {
  return `${environment}-client-${clientVpc}`;
}

/** Whether `stack` is named as one of `environment`'s client stacks. */
export function isClientStackName(stack: string, environment: string): boolean {
  const prefix = clientStackName(environment, "");
  return stack.startsWith(prefix) && stack.length > prefix.length;
}

/**
 * The client VPCs that get a client stack: those of a provisioned cluster once sharing.clusterArn is set
 * (the VPC connection needs the existing cluster's ARN and its multi-VPC connectivity). Serverless clusters
 * take their client VPCs as vpc_config blocks instead, in the environment's own stack.
 */
export function clientStacksOf(env: ResolvedEnvironment): readonly ResolvedClientVpc[] {
  return env.cluster.type === "provisioned" && env.sharing.clusterArn !== undefined
    ? env.sharing.clientVpcs
    : [];
}

/** Every stack an environment makes: its own, then its client stacks. */
export function stackNamesOf(env: ResolvedEnvironment): string[] {
  return [env.name, ...clientStacksOf(env).map((client) => client.stackName)];
}
