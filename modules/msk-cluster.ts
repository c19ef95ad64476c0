import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { MskCluster as MskClusterResource } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import { Construct } from "constructs";
import type { ResolvedProvisionedCluster, ResolvedServerlessCluster } from "../stacks/defaults";
import { CustomerKey } from "./kms-key";
import { isKraftVersion } from "./listeners";

export interface MskClusterProps {
  /** Resource-name prefix, "<project>-<env>"; also the cluster name. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** Cluster settings with defaults applied. */
  readonly settings: ResolvedProvisionedCluster | ResolvedServerlessCluster;
  /** One private subnet per AZ. */
  readonly subnetIds: readonly string[];
  /** The broker security group. */
  readonly securityGroupIds: readonly string[];
  /** KMS key for the broker log group. */
  readonly logsKmsKeyArn: string;
  /** prevent_destroy on the cluster, its key and its log group. */
  readonly protect: boolean;
}

/** Renders server.properties deterministically (sorted keys), so plans diff line by line. */
export function serverProperties(settings: ResolvedProvisionedCluster): string {
  const k = settings.kafka;
  const properties: Record<string, string> = {
    "auto.create.topics.enable": String(k.autoCreateTopics),
    "default.replication.factor": String(k.defaultReplicationFactor),
    "min.insync.replicas": String(k.minInsyncReplicas),
    "num.partitions": String(k.defaultPartitions),
    "unclean.leader.election.enable": "false",
    "log.retention.hours": String(k.logRetentionHours),
    "message.max.bytes": String(k.messageMaxBytes),
    ...k.serverProperties,
  };
  return Object.keys(properties)
    .sort()
    .map((key) => `${key} = ${properties[key]}`)
    .join("\n");
}

/** The MSK cluster: provisioned (with its configuration, data key and broker logs) or serverless. */
export class MskCluster extends Construct {
  readonly arn: string;
  readonly name: string;
  /** Bootstrap broker strings; empty string where a listener is not enabled. */
  readonly bootstrapBrokers: {
    readonly tls: string;
    readonly saslIam: string;
    readonly saslScram: string;
    readonly plaintext: string;
    readonly publicTls: string;
    readonly publicSaslIam: string;
    readonly publicSaslScram: string;
  };
  /** ZooKeeper connect string; empty for KRaft and serverless clusters. */
  readonly zookeeperConnectString: string;
  readonly kmsKeyArn?: string;
  readonly configurationArn?: string;
  readonly configurationRevision?: number;

  constructor(scope: Construct, id: string, props: MskClusterProps) {
    super(scope, id);
    const settings = props.settings;
    this.name = props.prefix;

    if (settings.type === "serverless") {
      const cluster = new MskServerlessCluster(this, "serverless-cluster", {
        clusterName: props.prefix,
        vpcConfig: [{ subnetIds: [...props.subnetIds], securityGroupIds: [...props.securityGroupIds] }],
        clientAuthentication: { sasl: { iam: { enabled: true } } },
        lifecycle: { preventDestroy: props.protect },
      });
      this.arn = cluster.arn;
      this.bootstrapBrokers = {
        tls: "",
        saslIam: cluster.bootstrapBrokersSaslIam,
        saslScram: "",
        plaintext: "",
        publicTls: "",
        publicSaslIam: "",
        publicSaslScram: "",
      };
      this.zookeeperConnectString = "";
      return;
    }

    const dataKey = new CustomerKey(this, "data-key", {
      description: `MSK data at rest for ${props.prefix}`,
      alias: `${props.prefix}/msk`,
      accountId: props.accountId,
      partition: props.partition,
      protect: props.protect,
    });
    this.kmsKeyArn = dataKey.arn;

    const configuration = new MskConfiguration(this, "configuration", {
      // One configuration per Kafka version: kafka_versions cannot change in place, and the old one
      // cannot be deleted while the cluster uses it, so the new one is created first.
      name: `${props.prefix}-${settings.kafkaVersion.replace(/\./g, "-")}`,
      kafkaVersions: [settings.kafkaVersion],
      description: `Server properties for ${props.prefix} on Kafka ${settings.kafkaVersion}`,
      serverProperties: serverProperties(settings),
      lifecycle: { createBeforeDestroy: true },
    });
    this.configurationArn = configuration.arn;
    this.configurationRevision = configuration.latestRevision;

    const brokerLogGroup = new CloudwatchLogGroup(this, "broker-log-group", {
      name: `/aws/msk/${props.prefix}/broker`,
      retentionInDays: settings.logging.retentionDays,
      kmsKeyId: props.logsKmsKeyArn,
      lifecycle: { preventDestroy: props.protect },
    });

    const auth = settings.auth;
    const cluster = new MskClusterResource(this, "cluster", {
      clusterName: props.prefix,
      kafkaVersion: settings.kafkaVersion,
      numberOfBrokerNodes: settings.brokerCount,
      enhancedMonitoring: settings.enhancedMonitoring,
      storageMode: settings.storageMode,
      brokerNodeGroupInfo: {
        instanceType: settings.instanceType,
        clientSubnets: [...props.subnetIds],
        securityGroups: [...props.securityGroupIds],
        storageInfo: {
          ebsStorageInfo: {
            volumeSize: settings.volumeSizeGiB,
            provisionedThroughput:
              settings.provisionedThroughputMiBps === undefined
                ? undefined
                : { enabled: true, volumeThroughput: settings.provisionedThroughputMiBps },
          },
        },
        connectivityInfo: {
          publicAccess: { type: settings.publicAccess ? "SERVICE_PROVIDED_EIPS" : "DISABLED" },
        },
      },
      configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: dataKey.arn,
        encryptionInTransit: { clientBroker: settings.clientBroker, inCluster: true },
      },
      clientAuthentication: {
        unauthenticated: auth.unauthenticated,
        sasl: { iam: auth.iam, scram: auth.scramUsers.length > 0 },
        tls:
          auth.mutualTlsCaArns.length > 0
            ? { certificateAuthorityArns: [...auth.mutualTlsCaArns] }
            : undefined,
      },
      openMonitoring: {
        prometheus: {
          jmxExporter: { enabledInBroker: settings.openMonitoring.jmxExporter },
          nodeExporter: { enabledInBroker: settings.openMonitoring.nodeExporter },
        },
      },
      loggingInfo: {
        brokerLogs: {
          cloudwatchLogs: { enabled: true, logGroup: brokerLogGroup.name },
          s3: settings.logging.s3
            ? { enabled: true, bucket: settings.logging.s3.bucket, prefix: settings.logging.s3.prefix }
            : undefined,
          firehose: settings.logging.firehoseDeliveryStream
            ? { enabled: true, deliveryStream: settings.logging.firehoseDeliveryStream }
            : undefined,
        },
      },
      lifecycle: {
        preventDestroy: props.protect,
        // Storage autoscaling grows volumes behind Terraform's back; without it users must be able to resize.
        ignoreChanges: settings.storageAutoscaling
          ? ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"]
          : undefined,
      },
    });
    this.arn = cluster.arn;
    this.bootstrapBrokers = {
      tls: cluster.bootstrapBrokersTls,
      saslIam: cluster.bootstrapBrokersSaslIam,
      saslScram: cluster.bootstrapBrokersSaslScram,
      plaintext: cluster.bootstrapBrokers,
      publicTls: cluster.bootstrapBrokersPublicTls,
      publicSaslIam: cluster.bootstrapBrokersPublicSaslIam,
      publicSaslScram: cluster.bootstrapBrokersPublicSaslScram,
    };
    this.zookeeperConnectString = isKraftVersion(settings.kafkaVersion)
      ? ""
      : cluster.zookeeperConnectStringTls;
  }
}
