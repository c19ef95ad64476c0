/**
 * The MSK topic API calls the topic manager makes, through @aws-sdk/client-kafka. `Configs` travels as
 * Base64 of a JSON object of topic configs (the botocore model: "Topic configurations encoded as a Base64
 * string"); DescribeTopic returns every effective config, broker defaults included.
 */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  DescribeTopicCommand,
  type KafkaClient,
  ListClustersV2Command,
  UpdateTopicCommand,
} from "@aws-sdk/client-kafka";
import type { DesiredTopic } from "./contract";
import type { ActualTopic } from "./reconcile";

/** The cluster facts the topic API depends on. */
export interface ClusterStatus {
  readonly arn: string;
  readonly state: string;
  readonly type: string;
  readonly kafkaVersion?: string;
}

/** The calls the manager makes; an interface so tests can count and fail them. */
export interface TopicApi {
  /** The cluster of that name (ListClustersV2), or undefined when there is none. */
  findCluster(clusterName: string): Promise<ClusterStatus | undefined>;
  /** The topic, or undefined when the cluster has none (NotFoundException). */
  describeTopic(clusterArn: string, name: string): Promise<ActualTopic | undefined>;
  /** Creates a topic; false when it already exists (created meanwhile, or not yet visible). */
  createTopic(clusterArn: string, topic: DesiredTopic): Promise<boolean>;
  addPartitions(clusterArn: string, name: string, partitions: number): Promise<void>;
  updateConfigs(clusterArn: string, name: string, configs: Readonly<Record<string, string>>): Promise<void>;
  deleteTopic(clusterArn: string, name: string): Promise<void>;
}

export function encodeConfigs(configs: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(configs), "utf8").toString("base64");
}

export function decodeConfigs(encoded: string | undefined): Record<string, string> {
  if (encoded === undefined || encoded === "") return {};
  const parsed = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

const errorName = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;

const TOPIC_STATES = new Set(["CREATING", "UPDATING", "DELETING", "ACTIVE"]);

/** The topic API over a Kafka client (region and credentials from the Lambda environment). */
export function kafkaTopicApi(client: KafkaClient): TopicApi {
  return {
    async findCluster(clusterName) {
      let token: string | undefined;
      do {
        const out = await client.send(
          new ListClustersV2Command({ ClusterNameFilter: clusterName, NextToken: token }),
        );
        // The filter is a prefix: only the exact name counts.
        const info = (out.ClusterInfoList ?? []).find((c) => c.ClusterName === clusterName);
        if (info?.ClusterArn)
          return {
            arn: info.ClusterArn,
            state: info.State ?? "UNKNOWN",
            type: info.ClusterType ?? "UNKNOWN",
            kafkaVersion: info.Provisioned?.CurrentBrokerSoftwareInfo?.KafkaVersion,
          };
        token = out.NextToken;
      } while (token);
      return undefined;
    },
    async describeTopic(clusterArn, name) {
      try {
        const out = await client.send(new DescribeTopicCommand({ ClusterArn: clusterArn, TopicName: name }));
        const status = out.Status ?? "ACTIVE";
        return {
          name,
          partitionCount: out.PartitionCount ?? 0,
          replicationFactor: out.ReplicationFactor ?? 0,
          configs: decodeConfigs(out.Configs),
          status: (TOPIC_STATES.has(status) ? status : "ACTIVE") as ActualTopic["status"],
        };
      } catch (error) {
        if (errorName(error) === "NotFoundException") return undefined;
        throw error;
      }
    },
    async createTopic(clusterArn, topic) {
      try {
        await client.send(
          new CreateTopicCommand({
            ClusterArn: clusterArn,
            TopicName: topic.name,
            PartitionCount: topic.partitions,
            ReplicationFactor: topic.replicationFactor,
            Configs: Object.keys(topic.configs).length > 0 ? encodeConfigs(topic.configs) : undefined,
          }),
        );
        return true;
      } catch (error) {
        const name = errorName(error);
        if (name === "TopicExistsException" || name === "ConflictException") return false;
        throw error;
      }
    },
    async addPartitions(clusterArn, name, partitions) {
      // UpdateTopic takes partitions or configs, never both in one call.
      await client.send(
        new UpdateTopicCommand({ ClusterArn: clusterArn, TopicName: name, PartitionCount: partitions }),
      );
    },
    async updateConfigs(clusterArn, name, configs) {
      await client.send(
        new UpdateTopicCommand({ ClusterArn: clusterArn, TopicName: name, Configs: encodeConfigs(configs) }),
      );
    },
    async deleteTopic(clusterArn, name) {
      try {
        await client.send(new DeleteTopicCommand({ ClusterArn: clusterArn, TopicName: name }));
      } catch (error) {
        if (errorName(error) !== "NotFoundException") throw error;
      }
    },
  };
}
