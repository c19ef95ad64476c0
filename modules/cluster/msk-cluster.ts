import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { MskCluster as MskClusterResource } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import { Construct } from "constructs";
import type { ResolvedProvisionedCluster, ResolvedServerlessCluster } from "../../stacks/defaults";
import { CustomerKey } from "../common/kms-key";
import { brokerIngressPorts, listenerFeaturesOf } from "../network/listeners";
import type { SchemaRegistryAccess } from "../schema-registry/schema-access";
import type { KafkaClusterIdentity } from "./kafka-arns";
import { MskAlarms } from "./msk-alarms";
import { MskClientPolicies } from "./msk-client-policies";
import { MskScramUsers } from "./msk-scram";
import { MskStorageAutoscaling } from "./msk-storage-autoscaling";

export interface MskClusterProps {
  /** Resource-name prefix, "<project>-<env>"; also the cluster name. */
  readonly prefix: string;
  /** AWS account of the cluster (key policies, confused-deputy conditions). */
  readonly accountId: string;
  /** Region of the cluster. */
  readonly region: string;
  /** AWS partition ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** Cluster settings with defaults applied. */
  readonly settings: ResolvedProvisionedCluster | ResolvedServerlessCluster;
  /** One private subnet per AZ. */
  readonly subnetIds: readonly string[];
  /** The broker security group. */
  readonly securityGroupIds: readonly string[];
  /** KMS key for the broker log group. */
  readonly logsKmsKeyArn: string;
  /** Email addresses subscribed to the alarm topic (provisioned clusters). @default [] */
  readonly alarmEmailEndpoints?: readonly string[];
  /**
   * More VPCs of a serverless cluster (its client VPCs), after its own: subnets and the broker-side groups
   * there. MSK Serverless takes at most five VPCs in all. @default []
   */
  readonly additionalVpcConfigs?: readonly {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
  }[];
  /** The schema registry, whose declared schemas the exported client policies also grant. @default none */
  readonly schemaRegistry?: SchemaRegistryAccess;
  /** prevent_destroy on the cluster, its keys, its log group and its SCRAM secrets. */
  readonly protect: boolean;
}

/** A value the stack should export, with its Terraform output name and description. */
export interface ClusterOutput {
  readonly name: string;
  readonly value: string | number | Readonly<Record<string, string>>;
  readonly description: string;
}

/**
 * Renders server.properties deterministically (sorted keys), so plans diff line by line. Express brokers
 * fix replication, min ISR and unclean election (read-only: MSK refuses them in a configuration) and take
 * retention only as log.retention.ms.
 */
export function serverProperties(settings: ResolvedProvisionedCluster): string {
  const k = settings.kafka;
  const express = settings.brokerKind === "express";
  const properties: Record<string, string> = {
    "auto.create.topics.enable": String(k.autoCreateTopics),
    ...(express
      ? { "log.retention.ms": String(k.logRetentionHours * 3_600_000) }
      : {
          "default.replication.factor": String(k.defaultReplicationFactor),
          "min.insync.replicas": String(k.minInsyncReplicas),
          "unclean.leader.election.enable": "false",
          "log.retention.hours": String(k.logRetentionHours),
        }),
    "num.partitions": String(k.defaultPartitions),
    "message.max.bytes": String(k.messageMaxBytes),
    ...k.serverProperties,
  };
  return Object.keys(properties)
    .sort()
    .map((key) => `${key} = ${properties[key]}`)
    .join("\n");
}

type BootstrapKey = keyof MskCluster["bootstrapBrokers"];

/** Output name, attribute and description of each broker listener `brokerIngressPorts` can return. */
const BOOTSTRAP_OUTPUTS: Readonly<Record<string, { key: BootstrapKey; name: string; description: string }>> =
  {
    plaintext: {
      key: "plaintext",
      name: "bootstrap_brokers_plaintext",
      description: "Plaintext bootstrap brokers (port 9092): unauthenticated and unencrypted",
    },
    tls: {
      key: "tls",
      name: "bootstrap_brokers_tls",
      description: "TLS bootstrap brokers (port 9094) for mutual-TLS or unauthenticated TLS clients",
    },
    scram: {
      key: "saslScram",
      name: "bootstrap_brokers_sasl_scram",
      description: "SASL/SCRAM bootstrap brokers (port 9096)",
    },
    iam: {
      key: "saslIam",
      name: "bootstrap_brokers_sasl_iam",
      description: "SASL/IAM bootstrap brokers (port 9098)",
    },
    "tls-public": {
      key: "publicTls",
      name: "bootstrap_brokers_public_tls",
      description: "Public TLS bootstrap brokers (port 9194); empty until public access is applied",
    },
    "scram-public": {
      key: "publicSaslScram",
      name: "bootstrap_brokers_public_sasl_scram",
      description: "Public SASL/SCRAM bootstrap brokers (port 9196); empty until public access is applied",
    },
    "iam-public": {
      key: "publicSaslIam",
      name: "bootstrap_brokers_public_sasl_iam",
      description: "Public SASL/IAM bootstrap brokers (port 9198); empty until public access is applied",
    },
  };

/**
 * The MSK cluster and everything that belongs to it: provisioned (data key, versioned configuration,
 * broker logs, SCRAM users, storage autoscaling, alarms) or serverless, plus the producer/consumer IAM
 * policies. `outputs` lists what the stack should export, only for the listeners that are enabled.
 */
export class MskCluster extends Construct {
  readonly arn: string;
  readonly name: string;
  /** ARN, name and UUID, for IAM policies scoped to this cluster's topics and groups. */
  readonly identity: KafkaClusterIdentity;
  /** Bootstrap broker strings; empty string where a listener is not enabled. */
  readonly bootstrapBrokers: {
    readonly tls: string;
    readonly saslIam: string;
    readonly saslScram: string;
    readonly plaintext: string;
    readonly publicTls: string;
    readonly publicSaslIam: string;
    readonly publicSaslScram: string;
    /** Multi-VPC connectivity bootstrap strings (a client VPC resolves them through its VPC connection). */
    readonly vpcConnectivitySaslIam: string;
    readonly vpcConnectivitySaslScram: string;
    readonly vpcConnectivityTls: string;
  };
  /** ZooKeeper connect strings (plaintext 2181 and TLS 2182); empty for KRaft and serverless clusters. */
  readonly zookeeperConnectString: string;
  readonly zookeeperConnectStringTls: string;
  /** Customer key encrypting data at rest (provisioned only; serverless uses MSK-owned keys). */
  readonly kmsKeyArn?: string;
  /** The data key this construct created; undefined with an own key (settings.kmsKeyArn) or serverless. */
  readonly dataKey?: CustomerKey;
  readonly configurationArn?: string;
  readonly configurationRevision?: number;
  /** Managed policies for IAM-authenticated producers and consumers. */
  readonly clientPolicies: MskClientPolicies;
  /** SCRAM users and their secrets, when SCRAM is on. */
  readonly scram?: MskScramUsers;
  /** Storage autoscaling, when on. */
  readonly storageAutoscaling?: MskStorageAutoscaling;
  /** Alarms and their topic (provisioned only). */
  readonly alarms?: MskAlarms;
  /** What the stack should export for this cluster. */
  readonly outputs: readonly ClusterOutput[];

  constructor(scope: Construct, id: string, props: MskClusterProps) {
    super(scope, id);
    const settings = props.settings;
    if (settings.type === "provisioned") validateProvisioned(settings, props);
    const listeners = brokerIngressPorts(listenerFeaturesOf(settings)).map((p) => p.listener);
    const region = { partition: props.partition, region: props.region, accountId: props.accountId };

    if (settings.type === "serverless") {
      // MSK Serverless speaks IAM only; its data is encrypted with MSK-owned keys (no customer key option).
      const cluster = new MskServerlessCluster(this, "serverless-cluster", {
        clusterName: props.prefix,
        // vpc_config is ForceNew: a client VPC added later replaces the cluster (the plan review flags it).
        vpcConfig: [
          { subnetIds: [...props.subnetIds], securityGroupIds: [...props.securityGroupIds] },
          ...(props.additionalVpcConfigs ?? []).map((vpc) => ({
            subnetIds: [...vpc.subnetIds],
            securityGroupIds: [...vpc.securityGroupIds],
          })),
        ],
        clientAuthentication: { sasl: { iam: { enabled: true } } },
        lifecycle: { preventDestroy: props.protect },
      });
      this.arn = cluster.arn;
      this.name = cluster.clusterName;
      this.identity = { ...region, arn: cluster.arn, name: cluster.clusterName, uuid: cluster.clusterUuid };
      this.bootstrapBrokers = {
        tls: "",
        saslIam: cluster.bootstrapBrokersSaslIam,
        saslScram: "",
        plaintext: "",
        publicTls: "",
        publicSaslIam: "",
        publicSaslScram: "",
        vpcConnectivitySaslIam: "",
        vpcConnectivitySaslScram: "",
        vpcConnectivityTls: "",
      };
      this.zookeeperConnectString = "";
      this.zookeeperConnectStringTls = "";
    } else {
      // An own key (settings.kmsKeyArn) replaces ours; the construct id stays "data-key" when ours exists.
      this.dataKey =
        settings.kmsKeyArn === undefined
          ? new CustomerKey(this, "data-key", {
              description: `MSK data at rest for ${props.prefix}`,
              alias: `${props.prefix}/msk`,
              accountId: props.accountId,
              partition: props.partition,
              protect: props.protect,
            })
          : undefined;
      const dataKeyArn = this.dataKey?.arn ?? (settings.kmsKeyArn as string);
      this.kmsKeyArn = dataKeyArn;

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
      // Express brokers: MSK manages storage, so no storage_info (a 400 at apply) and no storage_mode.
      const ebs = settings.brokerKind === "standard";
      const cluster = new MskClusterResource(this, "cluster", {
        clusterName: props.prefix,
        kafkaVersion: settings.kafkaVersion,
        numberOfBrokerNodes: settings.brokerCount,
        enhancedMonitoring: settings.enhancedMonitoring,
        storageMode: ebs ? settings.storageMode : undefined,
        brokerNodeGroupInfo: {
          instanceType: settings.instanceType,
          clientSubnets: [...props.subnetIds],
          securityGroups: [...props.securityGroupIds],
          storageInfo: ebs
            ? {
                ebsStorageInfo: {
                  volumeSize: settings.volumeSizeGiB,
                  provisionedThroughput:
                    settings.provisionedThroughputMiBps === undefined
                      ? undefined
                      : { enabled: true, volumeThroughput: settings.provisionedThroughputMiBps },
                },
              }
            : undefined,
          connectivityInfo: {
            publicAccess: { type: settings.publicAccess ? "SERVICE_PROVIDED_EIPS" : "DISABLED" },
            // Emitted only once sharing.clusterArn proves the cluster exists: MSK refuses any enabled
            // scheme at creation, and turning it on is an in-place update (a rolling broker restart).
            vpcConnectivity: settings.vpcConnectivity && {
              clientAuthentication: {
                sasl: { iam: settings.vpcConnectivity.iam, scram: settings.vpcConnectivity.scram },
                tls: settings.vpcConnectivity.tls,
              },
            },
          },
        },
        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
        encryptionInfo: {
          encryptionAtRestKmsKeyArn: dataKeyArn,
          encryptionInTransit: { clientBroker: settings.clientBroker, inCluster: true },
        },
        clientAuthentication: {
          unauthenticated: auth.unauthenticated,
          // Always present with both flags explicit: toggling a mode flips a boolean in place, while
          // adding or removing the whole sasl block replaced the cluster in some provider versions.
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
      this.name = cluster.clusterName;
      this.identity = { ...region, arn: cluster.arn, name: cluster.clusterName, uuid: cluster.clusterUuid };
      this.bootstrapBrokers = {
        tls: cluster.bootstrapBrokersTls,
        saslIam: cluster.bootstrapBrokersSaslIam,
        saslScram: cluster.bootstrapBrokersSaslScram,
        plaintext: cluster.bootstrapBrokers,
        publicTls: cluster.bootstrapBrokersPublicTls,
        publicSaslIam: cluster.bootstrapBrokersPublicSaslIam,
        publicSaslScram: cluster.bootstrapBrokersPublicSaslScram,
        vpcConnectivitySaslIam: cluster.bootstrapBrokersVpcConnectivitySaslIam,
        vpcConnectivitySaslScram: cluster.bootstrapBrokersVpcConnectivitySaslScram,
        vpcConnectivityTls: cluster.bootstrapBrokersVpcConnectivityTls,
      };
      const zookeeper = listeners.includes("zookeeper");
      this.zookeeperConnectString = zookeeper ? cluster.zookeeperConnectString : "";
      this.zookeeperConnectStringTls = zookeeper ? cluster.zookeeperConnectStringTls : "";

      if (auth.scramUsers.length > 0) {
        this.scram = new MskScramUsers(this, "scram", {
          prefix: props.prefix,
          accountId: props.accountId,
          region: props.region,
          partition: props.partition,
          clusterArn: cluster.arn,
          users: auth.scramUsers,
          associatedUsers: auth.scramAssociatedUsers,
          protect: props.protect,
        });
      }

      if (settings.storageAutoscaling && settings.volumeSizeGiB !== undefined) {
        this.storageAutoscaling = new MskStorageAutoscaling(this, "storage-autoscaling", {
          prefix: props.prefix,
          clusterArn: cluster.arn,
          minVolumeSizeGiB: settings.volumeSizeGiB,
          maxVolumeSizeGiB: settings.storageAutoscaling.maxVolumeSizeGiB,
          targetUtilizationPercent: settings.storageAutoscaling.targetUtilizationPercent,
        });
      }

      this.alarms = new MskAlarms(this, "alarms", {
        prefix: props.prefix,
        accountId: props.accountId,
        region: props.region,
        partition: props.partition,
        clusterName: cluster.clusterName,
        brokerCount: settings.brokerCount,
        brokers:
          settings.brokerKind === "express" && settings.expressThroughputMBps
            ? { kind: "express", throughputMBps: settings.expressThroughputMBps }
            : { kind: "standard" },
        emailEndpoints: props.alarmEmailEndpoints,
        protect: props.protect,
      });
    }

    this.clientPolicies = new MskClientPolicies(this, "client-policies", {
      prefix: props.prefix,
      cluster: this.identity,
      topicPatterns: settings.clientAccess.topicPatterns,
      consumerGroupPatterns: settings.clientAccess.consumerGroupPatterns,
      schemaRegistry: props.schemaRegistry,
    });

    this.outputs = this.collectOutputs(
      listeners,
      settings.type === "provisioned" ? settings.vpcConnectivity : undefined,
    );
  }

  private collectOutputs(
    listeners: readonly string[],
    vpcConnectivity: ResolvedProvisionedCluster["vpcConnectivity"],
  ): ClusterOutput[] {
    const outputs: ClusterOutput[] = [
      { name: "cluster_arn", value: this.arn, description: "MSK cluster ARN" },
      { name: "cluster_name", value: this.name, description: "MSK cluster name" },
    ];
    for (const listener of listeners) {
      const bootstrap = BOOTSTRAP_OUTPUTS[listener];
      if (bootstrap) {
        outputs.push({
          name: bootstrap.name,
          value: this.bootstrapBrokers[bootstrap.key],
          description: bootstrap.description,
        });
      }
    }
    if (listeners.includes("zookeeper")) {
      outputs.push(
        {
          name: "zookeeper_connect_string",
          value: this.zookeeperConnectString,
          description: "ZooKeeper connect string (port 2181); ZooKeeper-mode Kafka versions only",
        },
        {
          name: "zookeeper_connect_string_tls",
          value: this.zookeeperConnectStringTls,
          description: "ZooKeeper TLS connect string (port 2182); ZooKeeper-mode Kafka versions only",
        },
      );
    }
    const vpc = (mode: "iam" | "scram" | "tls", key: BootstrapKey, name: string, port: string) => {
      if (vpcConnectivity?.[mode]) {
        outputs.push({
          name: `bootstrap_brokers_vpc_connectivity_${name}`,
          value: this.bootstrapBrokers[key],
          description: `${port} bootstrap brokers for clients in other VPCs, resolved through their managed VPC connection`,
        });
      }
    };
    vpc("iam", "vpcConnectivitySaslIam", "sasl_iam", "SASL/IAM multi-VPC");
    vpc("scram", "vpcConnectivitySaslScram", "sasl_scram", "SASL/SCRAM multi-VPC");
    vpc("tls", "vpcConnectivityTls", "tls", "TLS (mutual TLS) multi-VPC");
    if (this.kmsKeyArn) {
      outputs.push({
        name: "msk_kms_key_arn",
        value: this.kmsKeyArn,
        description: "Customer KMS key encrypting the cluster's data at rest",
      });
    }
    if (this.configurationArn !== undefined && this.configurationRevision !== undefined) {
      outputs.push(
        {
          name: "configuration_arn",
          value: this.configurationArn,
          description: "MSK configuration (server.properties) of the cluster's Kafka version",
        },
        {
          name: "configuration_revision",
          value: this.configurationRevision,
          description: "Revision of that configuration the cluster runs",
        },
      );
    }
    outputs.push(
      {
        name: "producer_policy_arn",
        value: this.clientPolicies.producerPolicy.arn,
        description: "Managed IAM policy to attach to producer roles (IAM auth)",
      },
      {
        name: "consumer_policy_arn",
        value: this.clientPolicies.consumerPolicy.arn,
        description: "Managed IAM policy to attach to consumer roles (IAM auth)",
      },
    );
    if (this.scram) {
      outputs.push({
        name: "scram_secret_arns",
        value: this.scram.secretArns,
        description:
          'SCRAM user -> Secrets Manager secret ARN; put {"username","password"} before associating the user',
      });
    }
    if (this.alarms) {
      outputs.push({
        name: "alarm_topic_arn",
        value: this.alarms.topic.arn,
        description: "SNS topic (KMS-encrypted) that receives the cluster's CloudWatch alarms",
      });
    }
    return outputs;
  }
}

/** Rules MSK itself enforces at create time, checked before any resource exists. */
function validateProvisioned(settings: ResolvedProvisionedCluster, props: MskClusterProps): void {
  const auth = settings.auth;
  const azCount = props.subnetIds.length;
  if (azCount < 2) throw new Error(`subnetIds must list at least 2 subnets in distinct AZs, got ${azCount}`);
  if (settings.brokerCount % azCount !== 0) {
    throw new Error(
      `brokerCount must be a multiple of the subnet count (${azCount}), got ${settings.brokerCount}`,
    );
  }
  const anyAuth =
    auth.iam || auth.scramUsers.length > 0 || auth.mutualTlsCaArns.length > 0 || auth.unauthenticated;
  if (!anyAuth) throw new Error("auth must enable at least one of iam, scram, mutualTls, unauthenticated");
  if (
    settings.clientBroker === "PLAINTEXT" &&
    (auth.iam || auth.scramUsers.length > 0 || auth.mutualTlsCaArns.length > 0)
  ) {
    throw new Error(
      'clientBroker must be "TLS" or "TLS_PLAINTEXT" when IAM, SCRAM or mutual TLS is on, got "PLAINTEXT"',
    );
  }
  const throughput = settings.provisionedThroughputMiBps;
  if (
    throughput !== undefined &&
    !(Number.isInteger(throughput) && throughput >= 250 && throughput <= 2375)
  ) {
    throw new Error(`provisionedThroughputMiBps must be an integer 250-2375, got ${throughput}`);
  }
  if (settings.brokerKind === "express") {
    if (settings.volumeSizeGiB !== undefined || throughput !== undefined || settings.storageAutoscaling) {
      throw new Error(
        "express brokers take no volumeSizeGiB, provisionedThroughputMiBps or storageAutoscaling",
      );
    }
    if (azCount !== 3) throw new Error(`express brokers need subnets in 3 AZs, got ${azCount}`);
  } else if (settings.volumeSizeGiB === undefined) {
    throw new Error("volumeSizeGiB is required for standard brokers, got undefined");
  }
}
