import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { KafkaClusterIdentity } from "../cluster/kafka-arns";
import type { SchemaRegistryAccess } from "../schema-registry/schema-access";
import { LambdaConsumer, type LambdaConsumerSettings } from "./lambda-consumer";
import { LambdaPollerNetwork, type PollerAccess } from "./lambda-poller-network";

export interface LambdaConsumersProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The cluster the mappings read. */
  readonly cluster: KafkaClusterIdentity;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** The cluster's private subnets (the pollers' interfaces and the endpoints go there). */
  readonly subnetIds: readonly string[];
  /** The brokers' group, which the pollers' interfaces carry. */
  readonly brokerSecurityGroupId: string;
  /** The broker group's self-referencing rules, created with the consumers (modules/network/security-groups.ts). */
  readonly brokerSelfRules: readonly ITerraformDependable[];
  /** Prefix list of the S3 gateway endpoint, for S3 destinations. @default none */
  readonly s3PrefixListId?: string;
  /** How on-demand pollers reach Lambda and STS (network.lambdaPollerAccess). */
  readonly pollerAccess: PollerAccess;
  /** The consumers, defaults applied; at least one. */
  readonly consumers: readonly LambdaConsumerSettings[];
  /** KMS key of the created functions' log groups. */
  readonly logsKmsKeyArn: string;
  /** prevent_destroy on the log groups. */
  readonly protect: boolean;
  /** The environment's Schema Registry, when it has one (consumers' schemas). @default none */
  readonly schemaAccess?: SchemaRegistryAccess;
}

/** The environment's Lambda consumers and the network path their event pollers need. */
export class LambdaConsumers extends Construct {
  readonly network: LambdaPollerNetwork;
  /** Consumers by name. */
  readonly consumers: Readonly<Record<string, LambdaConsumer>>;

  constructor(scope: Construct, id: string, props: LambdaConsumersProps) {
    super(scope, id);
    if (props.consumers.length === 0)
      throw new Error("LambdaConsumers needs at least one consumer, got none");
    this.network = new LambdaPollerNetwork(this, "poller-network", {
      prefix: props.prefix,
      region: props.region,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      subnetIds: props.subnetIds,
      brokerSecurityGroupId: props.brokerSecurityGroupId,
      s3PrefixListId: props.s3PrefixListId,
      access: props.pollerAccess,
      needs: {
        onDemand: props.consumers.some((c) => c.provisionedPollers === undefined),
        destinations: [...new Set(props.consumers.map((c) => c.onFailure.kind))],
      },
    });
    const consumers: Record<string, LambdaConsumer> = {};
    for (const consumer of props.consumers) {
      consumers[consumer.name] = new LambdaConsumer(this, consumer.name, {
        accountId: props.accountId,
        region: props.region,
        partition: props.partition,
        cluster: props.cluster,
        subnetIds: props.subnetIds,
        brokerSecurityGroupId: props.brokerSecurityGroupId,
        consumer,
        logsKmsKeyArn: props.logsKmsKeyArn,
        networkDependencies: [...props.brokerSelfRules, ...this.network.dependables],
        schemaAccess: props.schemaAccess,
        protect: props.protect,
      });
    }
    this.consumers = consumers;
  }
}
