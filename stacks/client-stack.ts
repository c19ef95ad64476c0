import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ClientKafkaPolicy } from "../modules/sharing/client-kafka-policy";
import { clusterIdentityFromArn } from "../modules/sharing/kafka-grants";
import {
  bootstrapBrokersField,
  ClientVpcConnection,
  kafkaClientProperties,
} from "../modules/sharing/vpc-connection";
import { configureBackend } from "./backend";
import type { ResolvedClientVpc, ResolvedEnvironment } from "./defaults";
import { nativeHclOf } from "./hcl";
import { applyClientGuardrails, evaluatedTerraformOr } from "./policy";
import { CLIENT_VPC_TAG } from "./stack-names";

/**
 * The client side of a shared cluster, `<env>-client-<name>`: in the client VPC's own account (the provider
 * refuses any other) and with its own state, the managed VPC connection, the client security group and, for
 * IAM clients of another account, the identity policy that account's roles need. It knows the cluster only
 * by sharing.clusterArn, a literal: no remote state, no reference to the environment's stack.
 */
export class ClientStack extends TerraformStack {
  readonly env: ResolvedEnvironment;
  readonly client: ResolvedClientVpc;
  readonly connection: ClientVpcConnection;
  readonly kafkaPolicy?: ClientKafkaPolicy;

  constructor(scope: Construct, env: ResolvedEnvironment, client: ResolvedClientVpc) {
    super(scope, client.stackName);
    this.env = env;
    this.client = client;
    const clusterArn = env.sharing.clusterArn;
    if (clusterArn === undefined) {
      throw new Error(`ClientStack ${client.stackName}: needs sharing.clusterArn (the cluster must exist)`);
    }
    new AwsProvider(this, "aws", {
      region: client.region,
      allowedAccountIds: [client.accountId],
      defaultTags: [
        {
          tags: {
            environment: env.name,
            project: env.project,
            "managed-by": "cdktf",
            [CLIENT_VPC_TAG]: client.name,
            ...env.tags,
          },
        },
      ],
    });
    configureBackend(this, client.backend, {
      key: `${env.project}/${client.stackName}/terraform.tfstate`,
      path: `../../../terraform.${client.stackName}.tfstate`,
      region: client.region,
    });

    const prefix = `${env.prefix}-client-${client.name}`;
    this.connection = new ClientVpcConnection(this, "connection", {
      prefix,
      clusterArn,
      vpcId: client.vpcId,
      subnetIds: client.subnetIds,
      auth: client.auth,
      allowedSecurityGroupIds: client.allowedSecurityGroupIds,
    });
    // Cross-account IAM needs both sides: the cluster policy grants, this policy lets the account's roles ask.
    if (client.auth === "iam" && client.grant !== undefined) {
      this.kafkaPolicy = new ClientKafkaPolicy(this, "kafka-policy", {
        prefix,
        cluster: clusterIdentityFromArn(clusterArn),
        grant: client.grant,
      });
    }

    this.outputs(clusterArn);
    applyClientGuardrails(this, env.production);
  }

  /** Synth renders the document the policy pack has just evaluated only once (stacks/policy/pack.ts). */
  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    return evaluatedTerraformOr(this, () => super.toTerraform());
  }

  /** `cdktf synth --hcl`: the same Terraform as cdk.tf.json in native syntax (stacks/hcl.ts). */
  override toHclTerraform(): ReturnType<TerraformStack["toHclTerraform"]> {
    return nativeHclOf(this, super.toHclTerraform());
  }

  private outputs(clusterArn: string): void {
    const out = (id: string, value: string, description: string) =>
      new TerraformOutput(this, id, { value, description });
    out("vpc_connection_arn", this.connection.connection.arn, "The MSK managed VPC connection of this VPC");
    out(
      "client_security_group_id",
      this.connection.clientSecurityGroup.id,
      "Attach to the Kafka clients of this VPC (egress to the VPC connection only)",
    );
    out(
      "connection_security_group_id",
      this.connection.connectionSecurityGroup.id,
      "Security group of the VPC connection's endpoints",
    );
    out(
      "bootstrap_brokers_command",
      `aws kafka get-bootstrap-brokers --region ${this.client.region} --cluster-arn ${clusterArn} --query ${bootstrapBrokersField(this.client.auth)} --output text`,
      "Prints bootstrap.servers for this VPC's clients (resolved through the VPC connection)",
    );
    out(
      "kafka_client_properties",
      kafkaClientProperties(this.client.auth),
      "Kafka client properties for this VPC's auth scheme, besides bootstrap.servers",
    );
    if (this.kafkaPolicy) {
      out(
        "kafka_access_policy_arn",
        this.kafkaPolicy.policy.arn,
        "Managed IAM policy to attach to this account's Kafka client roles (what the cluster policy grants)",
      );
    }
  }
}
