import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MskCluster } from "../modules/cluster/msk-cluster";
import { ExclusiveRolePolicies } from "../modules/common/exclusive-role-policies";
import { CustomerKey } from "../modules/common/kms-key";
import { MskConnect } from "../modules/connect/msk-connect";
import { brokerIngressPorts, listenerFeaturesOf } from "../modules/network/listeners";
import { Network } from "../modules/network/network";
import { KafkaSecurityGroups } from "../modules/network/security-groups";
import { SinkBucket } from "../modules/sink/sink-bucket";
import type { ResolvedEnvironment } from "./defaults";
import { applyGuardrails } from "./policy";

/**
 * One environment's MSK platform: network -> security groups -> cluster -> sink bucket -> Connect.
 * Construct ids below become Terraform addresses: renaming one destroys and recreates the resource.
 */
export class PlatformStack extends TerraformStack {
  readonly env: ResolvedEnvironment;
  readonly network: Network;
  readonly securityGroups: KafkaSecurityGroups;
  readonly cluster: MskCluster;
  readonly sink: SinkBucket;
  readonly connect: MskConnect;

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
    this.configureBackend();

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
    // The broker group opens exactly the ports of the listeners this cluster enables.
    const brokerPorts = brokerIngressPorts(listenerFeaturesOf(cluster));
    this.securityGroups = new KafkaSecurityGroups(this, "security-groups", {
      prefix: env.prefix,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      brokerPorts,
      clientCidrs: net.clientCidrs,
      s3PrefixListId: this.network.s3PrefixListId,
    });

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
      protect: env.production,
    });

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

    this.outputs();
    // Every role gets exactly its own policies: one added by hand shows in the plan (before the guardrails,
    // which evaluate the resources it adds).
    ExclusiveRolePolicies.apply(this);
    applyGuardrails(this);
  }

  private configureBackend(): void {
    const backend = this.env.backend;
    if (backend.type === "local") {
      // Relative to cdktf.out/stacks/<env>/: the state lives at the project root, outside the synth output.
      new LocalBackend(this, { path: backend.path ?? `../../../terraform.${this.env.name}.tfstate` });
      return;
    }
    const s3 = new S3Backend(this, {
      bucket: backend.bucket,
      key: backend.key ?? `${this.env.project}/${this.env.name}/terraform.tfstate`,
      region: backend.region ?? this.env.region,
      encrypt: true,
      kmsKeyId: backend.kmsKeyArn,
    });
    // S3-native state locking (Terraform >= 1.10); the binding predates the argument.
    s3.addOverride("use_lockfile", true);
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
  }
}
