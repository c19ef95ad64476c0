import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MskCluster } from "../modules/cluster/msk-cluster";
import { ExclusiveRolePolicies } from "../modules/common/exclusive-role-policies";
import { CustomerKey } from "../modules/common/kms-key";
import { MskConnect } from "../modules/connect/msk-connect";
import { FlinkApplications } from "../modules/consumers/flink-applications";
import { LambdaConsumers } from "../modules/consumers/lambda-consumers";
import { brokerIngressPorts, listenerFeaturesOf } from "../modules/network/listeners";
import { Network } from "../modules/network/network";
import { KafkaSecurityGroups } from "../modules/network/security-groups";
import type { SchemaRegistryAccess } from "../modules/schema-registry/schema-access";
import { SchemaRegistry } from "../modules/schema-registry/schema-registry";
import { SharedClusterPolicy } from "../modules/sharing/cluster-policy";
import { ServerlessClientVpcs } from "../modules/sharing/serverless-client-vpcs";
import { SinkBucket } from "../modules/sink/sink-bucket";
import { topicManagerBundle } from "../modules/topics/bundle";
import { TopicManager } from "../modules/topics/topic-manager";
import { configureBackend } from "./backend";
import type { ResolvedEnvironment } from "./defaults";
import { nativeHclOf } from "./hcl";
import { applyGuardrails, evaluatedTerraformOr } from "./policy";

/**
 * One environment's MSK platform: network -> security groups -> cluster -> sink bucket -> Connect -> topics.
 * Construct ids below become Terraform addresses: renaming one destroys and recreates the resource.
 */
export class PlatformStack extends TerraformStack {
  readonly env: ResolvedEnvironment;
  readonly network: Network;
  readonly securityGroups: KafkaSecurityGroups;
  readonly cluster: MskCluster;
  readonly sink: SinkBucket;
  readonly connect: MskConnect;
  /** The client VPCs of a serverless cluster (their groups and vpc_config). */
  readonly serverlessClientVpcs?: ServerlessClientVpcs;
  /** The cluster policy for other accounts, once sharing.clusterArn is set. */
  readonly clusterPolicy?: SharedClusterPolicy;
  /** The topic manager, when the environment declares topics. */
  readonly topics?: TopicManager;
  /** Lambda functions reading topics, when consumers.lambda lists any. */
  readonly lambdaConsumers?: LambdaConsumers;
  /** The Glue Schema Registry, when the environment declares one. */
  readonly schemaRegistry?: SchemaRegistry;
  /** The Flink applications (consumers.flink), when any. */
  readonly flink?: FlinkApplications;
  /** Registry and schema ARNs for IAM statements (schemaConsumerStatements), when there is a registry. */
  readonly schemaAccess?: SchemaRegistryAccess;

  constructor(scope: Construct, env: ResolvedEnvironment) {
    super(scope, env.name);
    this.env = env;

    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.accountId],
      defaultTags: [
        { tags: { environment: env.name, project: env.project, "managed-by": "cdktf", ...env.tags } },
      ],
    });
    configureBackend(this, env.backend, {
      key: `${env.project}/${env.name}/terraform.tfstate`,
      path: `../../../terraform.${env.name}.tfstate`,
      region: env.region,
    });

    const logsKey = new CustomerKey(this, "logs-key", {
      description: `CloudWatch log groups of ${env.prefix}`,
      alias: `${env.prefix}/logs`,
      accountId: env.accountId,
      partition: env.partition,
      protect: env.production,
      serviceStatements: [
        {
          Sid: "CloudWatchLogsUse",
          Effect: "Allow",
          Principal: { Service: `logs.${env.region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": `arn:${env.partition}:logs:${env.region}:${env.accountId}:log-group:*`,
            },
          },
        },
      ],
    });

    const net = env.network;
    this.network = new Network(this, "network", {
      prefix: env.prefix,
      region: env.region,
      accountId: env.accountId,
      partition: env.partition,
      ...(net.mode === "create"
        ? {
            mode: "create" as const,
            cidr: net.cidr,
            availabilityZones: net.availabilityZones,
            natGateways: net.natGateways,
            logsKmsKeyArn: logsKey.arn,
            flowLogRetentionDays: net.flowLogRetentionDays,
            protect: env.production,
          }
        : {
            mode: "existing" as const,
            vpcId: net.vpcId,
            cidr: net.cidr,
            privateSubnets: net.privateSubnets,
            privateRouteTableIds: net.privateRouteTableIds,
            s3PrefixListId: net.s3PrefixListId,
          }),
    });

    const cluster = env.cluster;
    // The broker group opens exactly the ports of the listeners this cluster enables (and admits itself for
    // Lambda's event pollers when a Lambda consumer exists).
    const brokerPorts = brokerIngressPorts(listenerFeaturesOf(cluster, env.consumers.lambda.length > 0));
    this.securityGroups = new KafkaSecurityGroups(this, "security-groups", {
      prefix: env.prefix,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      brokerPorts,
      clientCidrs: net.clientCidrs,
      s3PrefixListId: this.network.s3PrefixListId,
      allowedSecurityGroupIds: net.allowedSecurityGroupIds,
    });

    // A serverless cluster takes its client VPCs (same account) as more vpc_config blocks, at creation.
    const sharing = env.sharing;
    if (cluster.type === "serverless" && sharing.clientVpcs.length > 0) {
      this.serverlessClientVpcs = new ServerlessClientVpcs(this, "client-vpcs", {
        prefix: env.prefix,
        vpcs: sharing.clientVpcs,
        brokerPorts,
      });
    }

    // Declared schemas; the client policies and the consumers' roles are granted exactly these.
    const registry = env.schemaRegistry;
    if (registry) {
      this.schemaRegistry = new SchemaRegistry(this, "schema-registry", {
        name: registry.name,
        description: registry.description,
        schemas: registry.schemas,
        protect: env.production,
      });
    }
    this.schemaAccess = this.schemaRegistry?.access(
      (registry?.schemas ?? []).filter((s) => s.versions === "producers").map((s) => s.name),
    );

    this.cluster = new MskCluster(this, "msk", {
      prefix: env.prefix,
      accountId: env.accountId,
      region: env.region,
      partition: env.partition,
      settings: env.cluster,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [this.securityGroups.brokerSecurityGroup.id],
      logsKmsKeyArn: logsKey.arn,
      alarmEmailEndpoints: env.alarms.emailEndpoints,
      additionalVpcConfigs: this.serverlessClientVpcs?.vpcConfigs,
      schemaRegistry: this.schemaAccess,
      protect: env.production,
    });

    // Other accounts' grants, attached once sharing.clusterArn proves the cluster exists (step 2).
    if (cluster.type === "provisioned" && sharing.clusterArn !== undefined && sharing.accounts.length > 0) {
      this.clusterPolicy = new SharedClusterPolicy(this, "cluster-policy", {
        cluster: this.cluster.identity,
        declaredClusterArn: sharing.clusterArn,
        accounts: sharing.accounts,
      });
    }

    this.sink = new SinkBucket(this, "sink", {
      prefix: env.prefix,
      bucketName: env.sink.bucketName,
      accessLogBucketName: env.sink.accessLogBucketName,
      accountId: env.accountId,
      partition: env.partition,
      archive: env.sink.archive,
      expireAfterDays: env.sink.expireAfterDays,
      noncurrentVersionExpirationDays: env.sink.noncurrentVersionExpirationDays,
      accessLogExpirationDays: env.sink.accessLogExpirationDays,
      protect: env.production,
    });

    this.connect = new MskConnect(this, "connect", {
      prefix: env.prefix,
      accountId: env.accountId,
      region: env.region,
      partition: env.partition,
      cluster: this.cluster.identity,
      topics: env.connect.topics,
      sinkBucketName: this.sink.bucketName,
      sinkBucketArn: this.sink.arn,
      sinkKmsKeyArn: this.sink.kmsKeyArn,
      logsKmsKeyArn: logsKey.arn,
      logRetentionDays: env.connect.logRetentionDays,
      kafkaCluster: {
        bootstrapServers: this.cluster.bootstrapBrokers.saslIam,
        subnetIds: this.network.privateSubnetIds,
        securityGroupIds: [this.securityGroups.connectSecurityGroup.id],
      },
      connector: env.connect.connector,
      protect: env.production,
    });

    if (env.topics) {
      this.topics = new TopicManager(this, "topics", {
        prefix: env.prefix,
        accountId: env.accountId,
        cluster: this.cluster.identity,
        clusterName: env.prefix,
        topics: env.topics.managed,
        retired: env.topics.retired,
        bundle: topicManagerBundle(),
        logsKmsKeyArn: logsKey.arn,
        logRetentionDays: env.topics.logRetentionDays,
        protect: env.production,
      });
    }

    if (env.consumers.lambda.length > 0) {
      this.lambdaConsumers = new LambdaConsumers(this, "lambda-consumers", {
        prefix: env.prefix,
        accountId: env.accountId,
        region: env.region,
        partition: env.partition,
        cluster: this.cluster.identity,
        vpcId: this.network.vpcId,
        vpcCidr: this.network.vpcCidr,
        subnetIds: this.network.privateSubnetIds,
        brokerSecurityGroupId: this.securityGroups.brokerSecurityGroup.id,
        brokerSelfRules: this.securityGroups.selfRules,
        s3PrefixListId: this.network.s3PrefixListId,
        pollerAccess: env.network.lambdaPollerAccess,
        consumers: env.consumers.lambda,
        logsKmsKeyArn: logsKey.arn,
        schemaAccess: this.schemaAccess,
        protect: env.production,
      });
    }

    if (env.consumers.flink.length > 0) {
      this.flink = new FlinkApplications(this, "flink", {
        prefix: env.prefix,
        accountId: env.accountId,
        region: env.region,
        partition: env.partition,
        applications: env.consumers.flink,
        cluster: this.cluster.identity,
        bootstrapServers: this.cluster.bootstrapBrokers.saslIam,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        logsKmsKeyArn: logsKey.arn,
        brokers: this.securityGroups,
        createGlueEndpoint: net.mode === "create",
        registry: registry && this.schemaAccess && { name: registry.name, access: this.schemaAccess },
        protect: env.production,
      });
    }

    this.outputs();
    // Every role gets exactly its own policies: one added by hand shows in the plan (before the guardrails,
    // which evaluate the resources it adds).
    ExclusiveRolePolicies.apply(this);
    applyGuardrails(this);
  }

  /** Synth renders the document the policy pack has just evaluated only once (stacks/policy/pack.ts). */
  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    return evaluatedTerraformOr(this, () => super.toTerraform());
  }

  /** `cdktf synth --hcl`: the same Terraform as cdk.tf.json in native syntax (stacks/hcl.ts). */
  override toHclTerraform(): ReturnType<TerraformStack["toHclTerraform"]> {
    return nativeHclOf(this, super.toHclTerraform());
  }

  private outputs(): void {
    const out = (id: string, value: string, description: string, sensitive = false) =>
      new TerraformOutput(this, id, { value, description, sensitive });
    out("vpc_id", this.network.vpcId, "VPC of the cluster");
    new TerraformOutput(this, "private_subnet_ids", {
      value: this.network.privateSubnetIds,
      description: "Private subnets of the brokers, one per AZ, in AZ order",
    });
    out(
      "broker_security_group_id",
      this.securityGroups.brokerSecurityGroup.id,
      "Security group of the MSK brokers (ingress derived from the enabled listeners)",
    );
    out(
      "client_security_group_id",
      this.securityGroups.clientSecurityGroup.id,
      "Attach to Kafka producers/consumers",
    );
    out(
      "connect_security_group_id",
      this.securityGroups.connectSecurityGroup.id,
      "Security group of MSK Connect workers",
    );
    for (const output of this.cluster.outputs) {
      new TerraformOutput(this, output.name, { value: output.value, description: output.description });
    }
    out("sink_bucket_name", this.sink.bucketName, "S3 bucket Kafka Connect writes to");
    out("sink_bucket_arn", this.sink.arn, "ARN of the sink bucket");
    out(
      "access_log_bucket_name",
      this.sink.accessLogs.bucketName,
      "Bucket holding the sink bucket's access logs",
    );
    out("connect_execution_role_arn", this.connect.executionRole.arn, "MSK Connect service execution role");
    out("connect_log_group_name", this.connect.logGroup.name, "CloudWatch log group of the Connect workers");
    if (this.connect.connector) {
      out("connector_arn", this.connect.connector.arn, "ARN of the S3 sink connector");
    }
    if (this.serverlessClientVpcs) {
      new TerraformOutput(this, "client_vpc_security_group_ids", {
        value: Object.fromEntries(
          Object.entries(this.serverlessClientVpcs.clientSecurityGroups).map(([name, group]) => [
            name,
            group.id,
          ]),
        ),
        description: "Client VPC name -> security group to attach to its Kafka clients (serverless cluster)",
      });
    }
    if (this.schemaRegistry) {
      out("schema_registry_arn", this.schemaRegistry.registry.arn, "ARN of the Glue Schema Registry");
      out(
        "schema_registry_name",
        this.schemaRegistry.registry.registryName,
        "Name of the Glue Schema Registry",
      );
    }
    if (this.flink) {
      new TerraformOutput(this, "flink_application_arns", {
        value: Object.fromEntries(
          Object.entries(this.flink.applications).map(([name, app]) => [name, app.application.arn]),
        ),
        description: "Flink application name -> ARN (Managed Service for Apache Flink)",
      });
    }
    if (this.topics) {
      out(
        "topic_manager_function_name",
        this.topics.function.functionName,
        "Lambda function that applies the declared topics at deploy",
      );
    }
    if (this.lambdaConsumers) {
      const consumers = Object.entries(this.lambdaConsumers.consumers);
      new TerraformOutput(this, "lambda_consumer_functions", {
        value: Object.fromEntries(consumers.map(([name, c]) => [name, c.functionName])),
        description: "Lambda consumer name -> the function its event source mapping invokes",
      });
      new TerraformOutput(this, "lambda_consumer_mapping_uuids", {
        value: Object.fromEntries(consumers.map(([name, c]) => [name, c.mapping.uuid])),
        description:
          "Lambda consumer name -> event source mapping UUID (aws lambda get-event-source-mapping --uuid)",
      });
    }
  }
}
