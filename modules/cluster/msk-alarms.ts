import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { type ConditionBlock, policyDocument } from "../common/iam";
import { CustomerKey } from "../common/kms-key";

/** CloudWatch namespace of MSK metrics. */
export const MSK_NAMESPACE = "AWS/Kafka";

/** Alarm thresholds from the MSK best-practice guide; each can be overridden per cluster. */
export const DEFAULT_ALARM_THRESHOLDS = {
  /** KafkaDataLogsDiskUsed, percent: alarm at or above. */
  diskUsedPercent: 85,
  /** CpuUser + CpuSystem, percent: alarm above. */
  cpuPercent: 60,
} as const;

export interface MskAlarmsProps {
  /** Resource-name prefix, "<project>-<env>"; every alarm is named "<prefix>-msk-...". */
  readonly prefix: string;
  /** AWS account of the alarms (confused-deputy conditions on the topic and its key). */
  readonly accountId: string;
  /** Region of the alarms. */
  readonly region: string;
  /** AWS partition ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** The cluster's name (its "Cluster Name" metric dimension); pass the resource attribute. */
  readonly clusterName: string;
  /** Number of brokers; MSK numbers them 1..brokerCount ("Broker ID" dimension). */
  readonly brokerCount: number;
  /**
   * The broker family. Standard brokers get disk, CPU and under-replicated-partition alarms per broker and
   * an offline-partitions alarm; Express brokers publish no disk, under-replicated or offline-partition
   * metrics, so they get CPU plus client ingress and egress above AWS's recommended per-broker throughput.
   * @default { kind: "standard" }
   */
  readonly brokers?: BrokerAlarmKind;
  /** Email addresses subscribed to the alarm topic (each must confirm). @default [] */
  readonly emailEndpoints?: readonly string[];
  /** KafkaDataLogsDiskUsed alarm threshold, percent (alarm at or above). @default 85 */
  readonly diskUsedThresholdPercent?: number;
  /** CpuUser + CpuSystem alarm threshold, percent (alarm above). @default 60 */
  readonly cpuThresholdPercent?: number;
  /** prevent_destroy and the longest deletion window on the topic's key. */
  readonly protect: boolean;
}

/** Which per-broker signals a cluster publishes (see MskAlarmsProps.brokers). */
export type BrokerAlarmKind =
  | { readonly kind: "standard" }
  | {
      readonly kind: "express";
      /** Recommended maximum client throughput per broker, MB/s (AWS-published per Express size). */
      readonly throughputMBps: { readonly ingress: number; readonly egress: number };
    };

/** One alarm, as data: the rules below read as a table. */
interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly comparison: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly treatMissingData: "missing" | "notBreaching" | "breaching";
  readonly query: CloudwatchMetricAlarmMetricQuery[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * CloudWatch alarms on the health signals MSK recommends, published to a KMS-encrypted SNS topic:
 * per broker, disk used and CPU user+system and under-replicated partitions; per cluster, offline
 * partitions and the active-controller count (exactly one). Only CloudWatch alarms of this cluster
 * (by name and account) may publish to the topic or use its key.
 */
export class MskAlarms extends Construct {
  readonly topic: SnsTopic;
  readonly topicKey: CustomerKey;
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: MskAlarmsProps) {
    super(scope, id);
    if (!Number.isInteger(props.brokerCount) || props.brokerCount < 1) {
      throw new Error(`brokerCount must be an integer >= 1, got ${props.brokerCount}`);
    }
    const emails = props.emailEndpoints ?? [];
    for (const email of emails) {
      if (!EMAIL.test(email)) throw new Error(`emailEndpoints: got "${email}"; must be an email address`);
    }
    const disk = props.diskUsedThresholdPercent ?? DEFAULT_ALARM_THRESHOLDS.diskUsedPercent;
    const cpu = props.cpuThresholdPercent ?? DEFAULT_ALARM_THRESHOLDS.cpuPercent;
    for (const [field, value] of [
      ["diskUsedThresholdPercent", disk],
      ["cpuThresholdPercent", cpu],
    ] as const) {
      if (!(value > 0 && value < 100)) throw new Error(`${field} must be between 0 and 100, got ${value}`);
    }

    const alarmNamePrefix = `${props.prefix}-msk-`;
    const alarmArnPattern = `arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:${alarmNamePrefix}*`;
    const fromTheseAlarms: ConditionBlock = {
      StringEquals: { "aws:SourceAccount": props.accountId },
      ArnLike: { "aws:SourceArn": alarmArnPattern },
    };

    this.topicKey = new CustomerKey(this, "topic-key", {
      description: `MSK alarm notifications of ${props.prefix}`,
      alias: `${props.prefix}/msk-alarms`,
      accountId: props.accountId,
      partition: props.partition,
      protect: props.protect,
      serviceStatements: [
        {
          Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: fromTheseAlarms,
        },
      ],
    });

    this.topic = new SnsTopic(this, "topic", {
      name: `${props.prefix}-msk-alarms`,
      displayName: `MSK alarms ${props.prefix}`,
      kmsMasterKeyId: this.topicKey.arn,
    });
    new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: policyDocument(
        {
          Sid: "AccountManagesTopic",
          Effect: "Allow",
          Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
          Action: [
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:AddPermission",
            "sns:RemovePermission",
            "sns:DeleteTopic",
            "sns:Subscribe",
            "sns:ListSubscriptionsByTopic",
            "sns:Publish",
          ],
          Resource: this.topic.arn,
        },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: fromTheseAlarms,
        },
      ),
    });
    for (const email of emails) {
      // Keyed by address, not position: removing one address must not re-create (and unconfirm) the others.
      new SnsTopicSubscription(this, `email-${email.replace(/[^A-Za-z0-9]/g, "-")}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }

    const cluster = { "Cluster Name": props.clusterName };
    const metric = (
      queryId: string,
      metricName: string,
      stat: string,
      period: number,
      dimensions: Record<string, string>,
      returnData: boolean,
    ): CloudwatchMetricAlarmMetricQuery => ({
      id: queryId,
      returnData,
      metric: { namespace: MSK_NAMESPACE, metricName, stat, period, dimensions },
    });

    const brokers = props.brokers ?? { kind: "standard" };
    const specs: AlarmSpec[] = [];
    for (let broker = 1; broker <= props.brokerCount; broker++) {
      const dimensions = { ...cluster, "Broker ID": String(broker) };
      const cpuSpec: AlarmSpec = {
        id: `cpu-broker-${broker}`,
        description: `Broker ${broker} CPU (user + system) above ${cpu}% for 15 minutes: MSK needs headroom for broker failover and patching`,
        comparison: "GreaterThanThreshold",
        threshold: cpu,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        query: [
          metric("user", "CpuUser", "Average", 300, dimensions, false),
          metric("system", "CpuSystem", "Average", 300, dimensions, false),
          { id: "cpu", expression: "user + system", label: "CpuUser + CpuSystem", returnData: true },
        ],
      };
      if (brokers.kind === "express") {
        // MB as AWS counts it in the Express sizing table (10^6 bytes).
        const traffic = (direction: "ingress" | "egress", metricName: string): AlarmSpec => ({
          id: `${direction}-broker-${broker}`,
          description: `Broker ${broker} client ${direction} above the ${brokers.throughputMBps[direction]} MB/s AWS recommends for this Express size, for 15 minutes: scale out or up before MSK throttles clients`,
          comparison: "GreaterThanThreshold",
          threshold: Math.round(brokers.throughputMBps[direction] * 1_000_000),
          evaluationPeriods: 3,
          treatMissingData: "notBreaching",
          query: [metric(direction, metricName, "Average", 300, dimensions, true)],
        });
        specs.push(cpuSpec, traffic("ingress", "BytesInPerSec"), traffic("egress", "BytesOutPerSec"));
        continue;
      }
      specs.push(
        {
          id: `disk-used-broker-${broker}`,
          description: `Broker ${broker} data volume is ${disk}% full or more: grow the volume or cut retention before it fills`,
          comparison: "GreaterThanOrEqualToThreshold",
          threshold: disk,
          evaluationPeriods: 1,
          treatMissingData: "missing",
          query: [metric("disk", "KafkaDataLogsDiskUsed", "Maximum", 300, dimensions, true)],
        },
        cpuSpec,
        {
          id: `under-replicated-broker-${broker}`,
          description: `Broker ${broker} has under-replicated partitions for 15 minutes: a replica is down or cannot keep up`,
          comparison: "GreaterThanThreshold",
          threshold: 0,
          evaluationPeriods: 3,
          treatMissingData: "notBreaching",
          query: [metric("urp", "UnderReplicatedPartitions", "Maximum", 300, dimensions, true)],
        },
      );
    }
    if (brokers.kind === "standard") {
      specs.push({
        id: "offline-partitions",
        description: "Partitions without an active leader: they can be neither written nor read",
        comparison: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        query: [metric("offline", "OfflinePartitionsCount", "Maximum", 60, cluster, true)],
      });
    }
    specs.push({
      id: "active-controller-count",
      description:
        "The cluster does not have exactly one active controller for 3 minutes: metadata changes and failover are at risk",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 3,
      // No controller metric at all is as bad as zero controllers.
      treatMissingData: "breaching",
      query: [
        metric("controllers", "ActiveControllerCount", "Sum", 60, cluster, false),
        // CloudWatch has no "not equal": alarm on the distance from exactly one.
        {
          id: "offset",
          expression: "ABS(controllers - 1)",
          label: "Active controllers away from 1",
          returnData: true,
        },
      ],
    });

    this.alarms = specs.map(
      (spec) =>
        new CloudwatchMetricAlarm(this, spec.id, {
          alarmName: `${alarmNamePrefix}${spec.id}`,
          alarmDescription: spec.description,
          comparisonOperator: spec.comparison,
          threshold: spec.threshold,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.evaluationPeriods,
          treatMissingData: spec.treatMissingData,
          metricQuery: spec.query,
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        }),
    );
  }
}
