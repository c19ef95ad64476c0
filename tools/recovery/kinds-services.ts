/**
 * Objects of the other services the stack uses. Most have a fixed name the stack gives them (role, bucket,
 * log group and stream, alias, secret, topic, alarm, cluster, configuration, Connect plugin/worker/connector): those
 * are looked up by exactly the names the configuration and the state hold. KMS keys have no name and are
 * found by this environment's tags; roles, policies, buckets, secrets, topics and alarms are also listed by
 * the environment's name prefix so that tagged leftovers of older configurations show as orphans.
 */
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand as ListAlarmTags,
} from "@aws-sdk/client-cloudwatch";
import {
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  ListTagsLogGroupCommand,
  type LogStream,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  RemoveRoleFromInstanceProfileCommand,
  type Role,
} from "@aws-sdk/client-iam";
import {
  ListClustersV2Command,
  ListConfigurationsCommand,
  ListScramSecretsCommand,
} from "@aws-sdk/client-kafka";
import {
  ListConnectorsCommand,
  ListCustomPluginsCommand,
  ListWorkerConfigurationsCommand,
} from "@aws-sdk/client-kafkaconnect";
import {
  DescribeKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import {
  DeleteBucketCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { DeleteSecretCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import {
  DeleteTopicCommand,
  ListTopicsCommand,
  ListTagsForResourceCommand as ListTopicTags,
} from "@aws-sdk/client-sns";
import { BROKER_HOURLY, PRICE_TABLE, PRICES } from "../review/prices";
import { stripWildcard } from "./kinds-network";
import {
  errorName,
  hasEnvironmentTags,
  type ListContext,
  type LiveObject,
  pages,
  type ResourceKind,
  type Tags,
  tagMap,
} from "./live";

/** Identity by the name attribute the configuration sets. */
export const byName =
  (attribute: string) =>
  (config: { get(path: string): unknown }, o: LiveObject): boolean =>
    config.get(attribute) === o.attributes[attribute];

export const notFound = (error: unknown) =>
  /NotFound|NoSuch|ResourceNotFound|NoSuchEntity/.test(errorName(error));

/** KMS keys deleted with the shortest waiting period AWS allows; cancellable until then. */
export const KEY_DELETION_WINDOW_DAYS = 7;

const kmsKey: ResourceKind = {
  type: "aws_kms_key",
  what: "KMS key",
  async list({ clients, env }) {
    const keys = await pages(async (Marker) => {
      const r = await clients.kms.send(new ListKeysCommand({ Marker }));
      return { items: r.Keys ?? [], next: r.Truncated ? r.NextMarker : undefined };
    });
    const found: LiveObject[] = [];
    for (const k of keys) {
      const meta = (await clients.kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata;
      if (!meta || meta.KeyManager === "AWS" || String(meta.KeyState).startsWith("Pending")) continue;
      const tags = tagMap(
        (await clients.kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId }))).Tags?.map((t) => ({
          Key: t.TagKey,
          Value: t.TagValue,
        })),
      );
      // A key has no name: only this environment's tags (set when it is created) say it is ours.
      if (!hasEnvironmentTags(tags, env)) continue;
      const id = meta.KeyId ?? "";
      found.push({
        type: "aws_kms_key",
        id,
        importId: id,
        label: `KMS key ${id} "${meta.Description ?? ""}"`,
        tags,
        attributes: { id, key_id: id, arn: meta.Arn, description: meta.Description ?? "" },
        uses: [],
        createdAt: meta.CreationDate,
        monthlyUsd: PRICES.kmsKeyMonth.usd,
      });
    }
    return found;
  },
  identity: (config, o) => (config.maybe("description") ?? "") === o.attributes.description,
  remove: async (clients, o) => {
    await clients.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: o.id, PendingWindowInDays: KEY_DELETION_WINDOW_DAYS }),
    );
    return `scheduled for deletion in ${KEY_DELETION_WINDOW_DAYS} days (aws kms cancel-key-deletion undoes it)`;
  },
  removeOrder: 95,
};

const kmsAlias: ResourceKind = {
  type: "aws_kms_alias",
  what: "KMS alias",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_kms_alias"));
    const aliases = await pages(async (Marker) => {
      const r = await clients.kms.send(new ListAliasesCommand({ Marker }));
      return { items: r.Aliases ?? [], next: r.Truncated ? r.NextMarker : undefined };
    });
    return aliases
      .filter(
        (a) => a.AliasName && (wanted.has(a.AliasName) || a.AliasName.startsWith(`alias/${env.prefix}/`)),
      )
      .map((a) => ({
        type: "aws_kms_alias",
        id: a.AliasName ?? "",
        importId: a.AliasName ?? "",
        label: `KMS alias ${a.AliasName} -> ${a.TargetKeyId}`,
        tags: {},
        attributes: { id: a.AliasName, name: a.AliasName, arn: a.AliasArn, target_key_id: a.TargetKeyId },
        uses: [a.TargetKeyId ?? ""],
      }));
  },
  identity: byName("name"),
  keptBecause: "aliases carry no tags",
};

const logGroup: ResourceKind = {
  type: "aws_cloudwatch_log_group",
  what: "log group",
  async list({ clients, names }) {
    const found: LiveObject[] = [];
    for (const name of names("aws_cloudwatch_log_group")) {
      const r = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      const group = r.logGroups?.find((g) => g.logGroupName === name);
      if (!group) continue;
      const tags = (await clients.logs.send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags ?? {};
      found.push({
        type: "aws_cloudwatch_log_group",
        id: name,
        importId: name,
        label: `log group ${name}${group.storedBytes ? ` (${group.storedBytes} bytes stored)` : ""}`,
        tags,
        attributes: { id: name, name, arn: stripWildcard(group.arn), stored_bytes: group.storedBytes ?? 0 },
        uses: group.kmsKeyId ? [group.kmsKeyId.split("/").pop() ?? ""] : [],
        createdAt: group.creationTime ? new Date(group.creationTime) : undefined,
      });
    }
    return found;
  },
  identity: byName("name"),
  remove: async (clients, o) => {
    if (Number(o.attributes.stored_bytes) > 0)
      return "kept: it holds log data; delete it yourself if it is not needed";
    await clients.logs.send(new DeleteLogGroupCommand({ logGroupName: o.id }));
    return "deleted (it held no log data)";
  },
  removeOrder: 96,
};

/**
 * Log streams the stack creates itself (a Flink application's): the names the configuration and the state
 * give, looked up in the log groups they name. The provider's id of a stream is only its name (unique within
 * its group), so the id here is "<group>:<name>", the import id the provider expects. Streams carry no tags:
 * never orphans.
 */
const logStream: ResourceKind = {
  type: "aws_cloudwatch_log_stream",
  what: "log stream",
  async list({ clients, names, values }) {
    const streams = names("aws_cloudwatch_log_stream");
    if (streams.length === 0) return [];
    const groups = new Set([
      ...values("aws_cloudwatch_log_stream", "log_group_name"),
      ...names("aws_cloudwatch_log_group"),
    ]);
    const found: LiveObject[] = [];
    for (const group of groups) {
      for (const name of streams) {
        let listed: LogStream[];
        try {
          listed = await pages(async (nextToken) => {
            const r = await clients.logs.send(
              new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: name, nextToken }),
            );
            return { items: r.logStreams ?? [], next: r.nextToken };
          });
        } catch (error) {
          if (notFound(error)) continue; // the group does not exist (yet)
          throw error;
        }
        const stream = listed.find((s) => s.logStreamName === name);
        if (!stream) continue;
        const id = `${group}:${name}`;
        found.push({
          type: "aws_cloudwatch_log_stream",
          id,
          importId: id,
          label: `log stream ${name} in ${group}`,
          tags: {},
          attributes: { id: name, name, log_group_name: group, arn: stream.arn },
          uses: [group],
          createdAt: stream.creationTime ? new Date(stream.creationTime) : undefined,
        });
      }
    }
    return found;
  },
  identity: (config, o) =>
    config.get("name") === o.attributes.name && config.get("log_group_name") === o.attributes.log_group_name,
  managedBy: (values, o) =>
    values.name === o.attributes.name && values.log_group_name === o.attributes.log_group_name,
  keptBecause: "log streams carry no tags",
};

async function bucketTags(context: ListContext, bucket: string): Promise<Tags | undefined> {
  try {
    return tagMap((await context.clients.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet);
  } catch (error) {
    if (errorName(error) === "NoSuchTagSet") return {};
    if (
      notFound(error) ||
      /PermanentRedirect|AuthorizationHeaderMalformed|AccessDenied/.test(errorName(error))
    )
      return undefined;
    throw error;
  }
}

const bucket: ResourceKind = {
  type: "aws_s3_bucket",
  what: "S3 bucket",
  async list(context) {
    const wanted = new Set(context.names("aws_s3_bucket"));
    const listed = (await context.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    const found: LiveObject[] = [];
    for (const b of listed) {
      const name = b.Name ?? "";
      if (!wanted.has(name) && !name.startsWith(`${context.env.prefix}-`)) continue;
      const tags = await bucketTags(context, name);
      if (tags === undefined) continue; // another region, or gone meanwhile
      if (!wanted.has(name) && !hasEnvironmentTags(tags, context.env)) continue;
      found.push({
        type: "aws_s3_bucket",
        id: name,
        importId: name,
        label: `S3 bucket ${name}`,
        tags,
        attributes: { id: name, bucket: name, arn: `arn:aws:s3:::${name}` },
        uses: [],
        createdAt: b.CreationDate,
      });
    }
    return found;
  },
  identity: byName("bucket"),
  remove: async (clients, o) => {
    const versions = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: o.id, MaxKeys: 1 }));
    if ((versions.Versions?.length ?? 0) + (versions.DeleteMarkers?.length ?? 0) > 0)
      return "kept: it holds objects; empty it yourself if they are not needed";
    await clients.s3.send(new DeleteBucketCommand({ Bucket: o.id }));
    return "deleted (it was empty)";
  },
  removeOrder: 97,
};

function roleObject(role: Role, tags: Tags): LiveObject {
  const name = role.RoleName ?? "";
  return {
    type: "aws_iam_role",
    id: name,
    importId: name,
    label: `IAM role ${name}`,
    tags,
    attributes: { id: name, name, arn: role.Arn, unique_id: role.RoleId },
    uses: [],
    createdAt: role.CreateDate,
  };
}

const iamRole: ResourceKind = {
  type: "aws_iam_role",
  what: "IAM role",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_iam_role"));
    const found = new Map<string, LiveObject>();
    for (const name of wanted) {
      try {
        const role = (await clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role;
        if (role) found.set(name, roleObject(role, tagMap(role.Tags)));
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    }
    const roles = await pages(async (Marker) => {
      const r = await clients.iam.send(new ListRolesCommand({ Marker }));
      return { items: r.Roles ?? [], next: r.IsTruncated ? r.Marker : undefined };
    });
    for (const role of roles) {
      const name = role.RoleName ?? "";
      if (found.has(name) || !name.startsWith(`${env.prefix}-`)) continue;
      const tags = tagMap((await clients.iam.send(new ListRoleTagsCommand({ RoleName: name }))).Tags);
      if (hasEnvironmentTags(tags, env)) found.set(name, roleObject(role, tags));
    }
    return [...found.values()];
  },
  identity: byName("name"),
  remove: async (clients, o) => {
    const RoleName = o.id;
    for (const PolicyName of (await clients.iam.send(new ListRolePoliciesCommand({ RoleName })))
      .PolicyNames ?? [])
      await clients.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
    for (const p of (await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName })))
      .AttachedPolicies ?? [])
      await clients.iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }));
    for (const profile of (await clients.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName })))
      .InstanceProfiles ?? [])
      await clients.iam.send(
        new RemoveRoleFromInstanceProfileCommand({
          RoleName,
          InstanceProfileName: profile.InstanceProfileName,
        }),
      );
    await clients.iam.send(new DeleteRoleCommand({ RoleName }));
    return "policies removed, deleted";
  },
  removeOrder: 94,
};

const iamPolicy: ResourceKind = {
  type: "aws_iam_policy",
  what: "IAM policy",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_iam_policy"));
    const policies = await pages(async (Marker) => {
      const r = await clients.iam.send(new ListPoliciesCommand({ Scope: "Local", Marker }));
      return { items: r.Policies ?? [], next: r.IsTruncated ? r.Marker : undefined };
    });
    const found: LiveObject[] = [];
    for (const p of policies) {
      const name = p.PolicyName ?? "";
      if (!wanted.has(name) && !name.startsWith(`${env.prefix}-`)) continue;
      const tags = tagMap((await clients.iam.send(new ListPolicyTagsCommand({ PolicyArn: p.Arn }))).Tags);
      if (!wanted.has(name) && !hasEnvironmentTags(tags, env)) continue;
      found.push({
        type: "aws_iam_policy",
        id: p.Arn ?? "",
        importId: p.Arn ?? "",
        label: `IAM policy ${name}`,
        tags,
        attributes: { id: p.Arn, arn: p.Arn, name, path: p.Path },
        uses: [],
        createdAt: p.CreateDate,
      });
    }
    return found;
  },
  identity: (config, o) =>
    config.get("name") === o.attributes.name && (config.maybe("path") ?? "/") === o.attributes.path,
  remove: async (clients, o) => {
    const PolicyArn = o.id;
    const entities = await clients.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn }));
    for (const r of entities.PolicyRoles ?? [])
      await clients.iam.send(new DetachRolePolicyCommand({ PolicyArn, RoleName: r.RoleName }));
    for (const u of entities.PolicyUsers ?? [])
      await clients.iam.send(new DetachUserPolicyCommand({ PolicyArn, UserName: u.UserName }));
    for (const g of entities.PolicyGroups ?? [])
      await clients.iam.send(new DetachGroupPolicyCommand({ PolicyArn, GroupName: g.GroupName }));
    for (const v of (await clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn }))).Versions ?? [])
      if (!v.IsDefaultVersion)
        await clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: v.VersionId }));
    await clients.iam.send(new DeletePolicyCommand({ PolicyArn }));
    return "detached and deleted";
  },
  removeOrder: 93,
};

const secret: ResourceKind = {
  type: "aws_secretsmanager_secret",
  what: "secret",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_secretsmanager_secret"));
    const secrets = await pages(async (NextToken) => {
      const r = await clients.secrets.send(new ListSecretsCommand({ NextToken }));
      return { items: r.SecretList ?? [], next: r.NextToken };
    });
    return secrets
      .filter((s) => !s.DeletedDate)
      .map((s) => ({ s, tags: tagMap(s.Tags) }))
      .filter(({ s, tags }) => wanted.has(s.Name ?? "") || hasEnvironmentTags(tags, env))
      .map(({ s, tags }) => ({
        type: "aws_secretsmanager_secret",
        id: s.ARN ?? "",
        importId: s.ARN ?? "",
        label: `secret ${s.Name}`,
        tags,
        attributes: { id: s.ARN, arn: s.ARN, name: s.Name },
        uses: s.KmsKeyId ? [s.KmsKeyId.split("/").pop() ?? ""] : [],
        createdAt: s.CreatedDate,
        monthlyUsd: PRICES.secretMonth.usd,
      }));
  },
  identity: byName("name"),
  remove: async (clients, o) => {
    await clients.secrets.send(new DeleteSecretCommand({ SecretId: o.id, RecoveryWindowInDays: 7 }));
    return "scheduled for deletion in 7 days (aws secretsmanager restore-secret undoes it)";
  },
  removeOrder: 92,
};

const topic: ResourceKind = {
  type: "aws_sns_topic",
  what: "SNS topic",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_sns_topic"));
    const topics = await pages(async (NextToken) => {
      const r = await clients.sns.send(new ListTopicsCommand({ NextToken }));
      return { items: r.Topics ?? [], next: r.NextToken };
    });
    const found: LiveObject[] = [];
    for (const t of topics) {
      const arn = t.TopicArn ?? "";
      const name = arn.split(":").pop() ?? "";
      if (!wanted.has(name) && !name.startsWith(`${env.prefix}-`)) continue;
      const tags = tagMap((await clients.sns.send(new ListTopicTags({ ResourceArn: arn }))).Tags);
      if (!wanted.has(name) && !hasEnvironmentTags(tags, env)) continue;
      found.push({
        type: "aws_sns_topic",
        id: arn,
        importId: arn,
        label: `SNS topic ${name}`,
        tags,
        attributes: { id: arn, arn, name },
        uses: [],
      });
    }
    return found;
  },
  identity: byName("name"),
  remove: async (clients, o) => {
    await clients.sns.send(new DeleteTopicCommand({ TopicArn: o.id }));
    return "deleted";
  },
  removeOrder: 91,
};

const alarm: ResourceKind = {
  type: "aws_cloudwatch_metric_alarm",
  what: "CloudWatch alarm",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_cloudwatch_metric_alarm"));
    const prefixes = [env.prefix, ...[...wanted].filter((n) => !n.startsWith(env.prefix))];
    const found: LiveObject[] = [];
    for (const AlarmNamePrefix of prefixes) {
      const alarms = await pages(async (NextToken) => {
        const r = await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix, NextToken }));
        return { items: r.MetricAlarms ?? [], next: r.NextToken };
      });
      for (const a of alarms) {
        const name = a.AlarmName ?? "";
        const tags = tagMap(
          (await clients.cloudwatch.send(new ListAlarmTags({ ResourceARN: a.AlarmArn }))).Tags,
        );
        if (!wanted.has(name) && !hasEnvironmentTags(tags, env)) continue;
        found.push({
          type: "aws_cloudwatch_metric_alarm",
          id: name,
          importId: name,
          label: `alarm ${name}`,
          tags,
          attributes: { id: name, alarm_name: name, arn: a.AlarmArn },
          uses: [],
          monthlyUsd: PRICES.alarmMonth.usd,
        });
      }
    }
    return found;
  },
  identity: byName("alarm_name"),
  remove: async (clients, o) => {
    await clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [o.id] }));
    return "deleted";
  },
  removeOrder: 98,
};

/** The environment's MSK clusters (provisioned and serverless), by the environment's name prefix. */
export async function clusters({ clients, env }: ListContext) {
  return pages(async (NextToken) => {
    const r = await clients.kafka.send(
      new ListClustersV2Command({ ClusterNameFilter: env.prefix, NextToken }),
    );
    return { items: r.ClusterInfoList ?? [], next: r.NextToken };
  });
}

function mskClusterKind(type: string, clusterType: "PROVISIONED" | "SERVERLESS"): ResourceKind {
  return {
    type,
    what: clusterType === "SERVERLESS" ? "MSK Serverless cluster" : "MSK cluster",
    async list(context) {
      const wanted = new Set(context.names(type));
      return (await clusters(context))
        .filter((c) => c.ClusterType === clusterType)
        .map((c) => ({ c, tags: c.Tags ?? {} }))
        .filter(({ c, tags }) => wanted.has(c.ClusterName ?? "") || hasEnvironmentTags(tags, context.env))
        .map(({ c, tags }) => {
          const group = c.Provisioned?.BrokerNodeGroupInfo;
          const brokers = c.Provisioned?.NumberOfBrokerNodes ?? 0;
          const hourly = group?.InstanceType ? BROKER_HOURLY[group.InstanceType]?.usd : undefined;
          const storage =
            (group?.StorageInfo?.EbsStorageInfo?.VolumeSize ?? 0) * brokers * PRICES.brokerStorage.usd;
          const usd =
            clusterType === "SERVERLESS"
              ? PRICES.serverlessClusterHour.usd * PRICE_TABLE.hoursPerMonth
              : hourly !== undefined
                ? hourly * brokers * PRICE_TABLE.hoursPerMonth + storage
                : undefined;
          return {
            type,
            id: c.ClusterArn ?? "",
            importId: c.ClusterArn ?? "",
            label: `MSK cluster ${c.ClusterName} (${c.State})`,
            tags,
            attributes: { id: c.ClusterArn, arn: c.ClusterArn, cluster_name: c.ClusterName },
            uses: [],
            createdAt: c.CreationTime,
            ...(usd !== undefined ? { monthlyUsd: usd } : {}),
          };
        });
    },
    identity: byName("cluster_name"),
    keptBecause:
      "a cluster may hold topic data: check it, then `aws kafka delete-cluster --cluster-arn <arn>`",
  };
}

/** A cluster's SCRAM secret associations: one resource per cluster, imported by the cluster's ARN. */
const scramAssociation: ResourceKind = {
  type: "aws_msk_scram_secret_association",
  what: "SCRAM secret association",
  async list(context) {
    const found: LiveObject[] = [];
    for (const c of await clusters(context)) {
      const secrets = await pages(async (NextToken) => {
        const r = await context.clients.kafka.send(
          new ListScramSecretsCommand({ ClusterArn: c.ClusterArn, NextToken }),
        );
        return { items: r.SecretArnList ?? [], next: r.NextToken };
      });
      if (secrets.length === 0) continue;
      const arn = c.ClusterArn ?? "";
      found.push({
        type: "aws_msk_scram_secret_association",
        id: arn,
        importId: arn,
        label: `SCRAM secrets associated with ${c.ClusterName} (${secrets.length})`,
        tags: {},
        attributes: { id: arn, cluster_arn: arn },
        uses: [arn],
      });
    }
    return found;
  },
  identity: (config, o) => config.get("cluster_arn") === o.attributes.cluster_arn,
  keptBecause: "associations carry no tags",
};

const mskConfiguration: ResourceKind = {
  type: "aws_msk_configuration",
  what: "MSK configuration",
  async list({ clients, names }) {
    const wanted = new Set(names("aws_msk_configuration"));
    if (wanted.size === 0) return [];
    const configurations = await pages(async (NextToken) => {
      const r = await clients.kafka.send(new ListConfigurationsCommand({ NextToken }));
      return { items: r.Configurations ?? [], next: r.NextToken };
    });
    return configurations
      .filter((c) => wanted.has(c.Name ?? "") && c.State !== "DELETING")
      .map((c) => ({
        type: "aws_msk_configuration",
        id: c.Arn ?? "",
        importId: c.Arn ?? "",
        label: `MSK configuration ${c.Name}`,
        tags: {},
        attributes: { id: c.Arn, arn: c.Arn, name: c.Name, latest_revision: c.LatestRevision?.Revision },
        uses: [],
        createdAt: c.CreationTime,
      }));
  },
  identity: byName("name"),
  keptBecause: "configurations carry no tags",
};

/** MSK Connect objects, imported by exactly the names the stack gives them (never deleted here). */
function connectKind(
  type: string,
  what: string,
  list: (
    context: ListContext,
    prefix: string,
  ) => Promise<{ name?: string; arn?: string; createdAt?: Date }[]>,
): ResourceKind {
  return {
    type,
    what,
    async list(context) {
      const wanted = new Set(context.names(type));
      if (wanted.size === 0) return [];
      return (await list(context, context.env.prefix))
        .filter((o) => wanted.has(o.name ?? ""))
        .map((o) => ({
          type,
          id: o.arn ?? "",
          importId: o.arn ?? "",
          label: `${what} ${o.name}`,
          tags: {},
          attributes: { id: o.arn, arn: o.arn, name: o.name },
          uses: [],
          createdAt: o.createdAt,
        }));
    },
    identity: byName("name"),
    keptBecause: "MSK Connect objects are only adopted, never deleted, by recover",
  };
}

const connectKinds = [
  connectKind("aws_mskconnect_custom_plugin", "MSK Connect plugin", async ({ clients }, namePrefix) =>
    (
      await pages(async (nextToken) => {
        const r = await clients.kafkaconnect.send(new ListCustomPluginsCommand({ namePrefix, nextToken }));
        return { items: r.customPlugins ?? [], next: r.nextToken };
      })
    ).map((p) => ({ name: p.name, arn: p.customPluginArn, createdAt: p.creationTime })),
  ),
  connectKind(
    "aws_mskconnect_worker_configuration",
    "MSK Connect worker configuration",
    async ({ clients }, namePrefix) =>
      (
        await pages(async (nextToken) => {
          const r = await clients.kafkaconnect.send(
            new ListWorkerConfigurationsCommand({ namePrefix, nextToken }),
          );
          return { items: r.workerConfigurations ?? [], next: r.nextToken };
        })
      ).map((w) => ({ name: w.name, arn: w.workerConfigurationArn, createdAt: w.creationTime })),
  ),
  connectKind("aws_mskconnect_connector", "MSK Connect connector", async ({ clients }, connectorNamePrefix) =>
    (
      await pages(async (nextToken) => {
        const r = await clients.kafkaconnect.send(
          new ListConnectorsCommand({ connectorNamePrefix, nextToken }),
        );
        return { items: r.connectors ?? [], next: r.nextToken };
      })
    ).map((c) => ({ name: c.connectorName, arn: c.connectorArn, createdAt: c.creationTime })),
  ),
];

export const serviceKinds: readonly ResourceKind[] = [
  kmsKey,
  kmsAlias,
  logGroup,
  logStream,
  bucket,
  iamRole,
  iamPolicy,
  secret,
  topic,
  alarm,
  mskClusterKind("aws_msk_cluster", "PROVISIONED"),
  mskClusterKind("aws_msk_serverless_cluster", "SERVERLESS"),
  scramAssociation,
  mskConfiguration,
  ...connectKinds,
];
