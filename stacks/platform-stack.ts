import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CustomerKey } from "../modules/kms-key";
import { brokerIngressPorts, isKraftVersion } from "../modules/listeners";
import { MskCluster } from "../modules/msk-cluster";
import { MskConnect } from "../modules/msk-connect";
import { Network } from "../modules/network";
import { KafkaSecurityGroups } from "../modules/security-groups";
import { SinkBucket } from "../modules/sink-bucket";
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
          }
        : {
            mode: "existing" as const,
            vpcId: net.vpcId,
            cidr: net.cidr,
            privateSubnets: net.privateSubnets,
            privateRouteTableIds: net.privateRouteTableIds,
          }),
    });

    const cluster = env.cluster;
    const brokerPorts =
      cluster.type === "serverless"
        ? brokerIngressPorts({
            clientBroker: "TLS",
            iam: true,
            scram: false,
            mutualTls: false,
            unauthenticated: false,
            publicAccess: false,
            zookeeper: false,
            jmxExporter: false,
            nodeExporter: false,
          })
        : brokerIngressPorts({
            clientBroker: cluster.clientBroker,
            iam: cluster.auth.iam,
            scram: cluster.auth.scramUsers.length > 0,
            mutualTls: cluster.auth.mutualTlsCaArns.length > 0,
            unauthenticated: cluster.auth.unauthenticated,
            publicAccess: cluster.publicAccess,
            zookeeper: !isKraftVersion(cluster.kafkaVersion),
            jmxExporter: cluster.openMonitoring.jmxExporter,
            nodeExporter: cluster.openMonitoring.nodeExporter,
          });
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
      settings: cluster,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [this.securityGroups.brokerSecurityGroup.id],
      logsKmsKeyArn: logsKey.arn,
      protect: env.production,
    });

    this.sink = new SinkBucket(this, "sink", {
      prefix: env.prefix,
      bucketName: env.sink.bucketName,
      accountId: env.accountId,
      partition: env.partition,
      archive: env.sink.archive,
      expireAfterDays: env.sink.expireAfterDays,
      noncurrentVersionExpirationDays: env.sink.noncurrentVersionExpirationDays,
      protect: env.production,
    });

    this.connect = new MskConnect(this, "connect", {
      prefix: env.prefix,
      accountId: env.accountId,
      region: env.region,
      partition: env.partition,
      clusterArn: this.cluster.arn,
      topics: env.connect.topics,
      sinkBucketArn: this.sink.arn,
      sinkKmsKeyArn: this.sink.kmsKeyArn,
      logsKmsKeyArn: logsKey.arn,
      logRetentionDays: env.connect.logRetentionDays,
    });

    this.outputs();
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
    out("cluster_arn", this.cluster.arn, "MSK cluster ARN");
    out("cluster_name", this.cluster.name, "MSK cluster name");
    const brokers = this.cluster.bootstrapBrokers;
    out(
      "bootstrap_brokers_tls",
      brokers.tls,
      "TLS bootstrap brokers (9094); empty when that listener is off",
    );
    out(
      "bootstrap_brokers_sasl_iam",
      brokers.saslIam,
      "SASL/IAM bootstrap brokers (9098); empty when IAM is off",
    );
    out(
      "bootstrap_brokers_sasl_scram",
      brokers.saslScram,
      "SASL/SCRAM bootstrap brokers (9096); empty when SCRAM is off",
    );
    out("sink_bucket_name", this.sink.bucketName, "S3 bucket Kafka Connect writes to");
    out("sink_bucket_arn", this.sink.arn, "ARN of the sink bucket");
    out("connect_execution_role_arn", this.connect.executionRole.arn, "MSK Connect service execution role");
  }
}
