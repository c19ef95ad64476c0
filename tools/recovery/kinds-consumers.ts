/**
 * Objects of the consumer and sharing modules: Lambda consumers and the topic manager (functions, event source
 * mappings), Flink applications, the Glue schema registry and its schemas, and the client side of a shared
 * cluster (MSK managed VPC connections, in `<env>-client-<name>` stacks). Functions, applications, registries
 * and schemas have a fixed name the stack gives them and are looked up by exactly the names the
 * configuration and the state hold, and also by the environment's name prefix (registries and schemas: in
 * the registries the stack names) so that tagged leftovers show as orphans. Event source mappings have no
 * name: they are read from the environment's clusters; VPC connections from the clusters and VPCs the client
 * stack names. All of them carry the environment's tags (the provider's default tags, sent with the create).
 */

import {
  DeleteRegistryCommand,
  GetTagsCommand,
  ListRegistriesCommand,
  ListSchemasCommand,
} from "@aws-sdk/client-glue";
import {
  DeleteVpcConnectionCommand,
  DescribeVpcConnectionCommand,
  ListVpcConnectionsCommand,
} from "@aws-sdk/client-kafka";
import {
  DescribeApplicationCommand,
  ListApplicationsCommand,
  ListTagsForResourceCommand as ListApplicationTags,
} from "@aws-sdk/client-kinesis-analytics-v2";
import {
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
} from "@aws-sdk/client-lambda";
import type { AwsClients } from "../aws-clients";
import { FLINK_PRICES, PRICE_TABLE } from "../review/prices";
import { byName, clusters, notFound } from "./kinds-services";
import {
  hasEnvironmentTags,
  type LiveObject,
  pages,
  type ResourceKind,
  type Tags,
  tagMap,
  waitFor,
} from "./live";

/** A role's name from its ARN (a path, if any, comes before the name). */
const roleName = (arn: string | undefined) => arn?.split("/").pop() ?? "";

/** "name" or "name:qualifier" from a function name, a partial ARN or a (qualified) function ARN. */
export function functionRef(nameOrArn: string): string {
  const at = nameOrArn.indexOf("function:");
  return at < 0 ? nameOrArn : nameOrArn.slice(at + "function:".length);
}

/** The lists equal as sets (order is not part of the identity). */
const sameSet = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && [...a].map(String).sort().join("\n") === [...b].map(String).sort().join("\n");

function functionObject(f: FunctionConfiguration, tags: Tags): LiveObject {
  const name = f.FunctionName ?? "";
  return {
    type: "aws_lambda_function",
    id: name,
    importId: name,
    label: `Lambda function ${name}${f.State && f.State !== "Active" ? ` (${f.State})` : ""}`,
    tags,
    attributes: { id: name, function_name: name, arn: f.FunctionArn, role: f.Role },
    uses: [roleName(f.Role), ...(f.VpcConfig?.SecurityGroupIds ?? [])].filter(Boolean),
  };
}

/** Functions (consumers, the topic manager): imported by name; an orphan is deleted (its code is in its package). */
const lambdaFunction: ResourceKind = {
  type: "aws_lambda_function",
  what: "Lambda function",
  async list({ clients, env, names }) {
    const found = new Map<string, LiveObject>();
    for (const name of names("aws_lambda_function")) {
      try {
        const r = await clients.lambda.send(new GetFunctionCommand({ FunctionName: name }));
        if (r.Configuration) found.set(name, functionObject(r.Configuration, r.Tags ?? {}));
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    }
    const functions = await pages(async (Marker) => {
      const r = await clients.lambda.send(new ListFunctionsCommand({ Marker }));
      return { items: r.Functions ?? [], next: r.NextMarker };
    });
    for (const f of functions) {
      const name = f.FunctionName ?? "";
      if (found.has(name) || !name.startsWith(`${env.prefix}-`)) continue;
      const tags = (await clients.lambda.send(new ListTagsCommand({ Resource: f.FunctionArn }))).Tags ?? {};
      if (hasEnvironmentTags(tags, env)) found.set(name, functionObject(f, tags));
    }
    return [...found.values()];
  },
  identity: byName("function_name"),
  remove: async (clients, o) => {
    await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: o.id }));
    return "deleted (its code stays in its package; its log group is separate)";
  },
  removeOrder: 88,
};

/**
 * Event source mappings of the environment's clusters: no name, so identity is what the mapping is for (its
 * function, cluster and topics). Imported by UUID. Deleting an orphan loses nothing: the consumer group's
 * committed offsets stay on the cluster (a mapping the state holds for that group reads on from them).
 */
const eventSourceMapping: ResourceKind = {
  type: "aws_lambda_event_source_mapping",
  what: "Lambda event source mapping",
  async list(context) {
    const { clients } = context;
    const found: LiveObject[] = [];
    for (const c of await clusters(context)) {
      const mappings = await pages(async (Marker) => {
        const r = await clients.lambda.send(
          new ListEventSourceMappingsCommand({ EventSourceArn: c.ClusterArn, Marker }),
        );
        return { items: r.EventSourceMappings ?? [], next: r.NextMarker };
      });
      for (const m of mappings) {
        if (m.State === "Deleting") continue;
        const uuid = m.UUID ?? "";
        const tags = m.EventSourceMappingArn
          ? ((await clients.lambda.send(new ListTagsCommand({ Resource: m.EventSourceMappingArn }))).Tags ??
            {})
          : {};
        const fn = functionRef(m.FunctionArn ?? "");
        found.push({
          type: "aws_lambda_event_source_mapping",
          id: uuid,
          importId: uuid,
          label: `Lambda event source mapping ${uuid} ${c.ClusterName} ${(m.Topics ?? []).join(",")} -> ${fn} (${m.State})`,
          tags,
          attributes: {
            id: uuid,
            uuid,
            arn: m.EventSourceMappingArn,
            function_arn: m.FunctionArn,
            event_source_arn: m.EventSourceArn,
            topics: m.Topics ?? [],
            consumer_group_id: m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId,
          },
          // The function by name (its id), not by qualifier: an adopted mapping keeps its function.
          uses: [fn.split(":")[0], m.EventSourceArn ?? ""].filter(Boolean),
        });
      }
    }
    return found;
  },
  identity: (config, o) =>
    functionRef(String(config.get("function_name"))) === functionRef(String(o.attributes.function_arn)) &&
    config.get("event_source_arn") === o.attributes.event_source_arn &&
    sameSet((config.get("topics") as unknown[] | undefined) ?? [], o.attributes.topics as unknown[]),
  remove: async (clients, o) => {
    await clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID: o.id }));
    return "deleted (the consumer group's offsets stay on the cluster)";
  },
  removeOrder: 87,
};

/** Flink applications: imported by ARN, never deleted here (snapshots hold the application's state). */
const flinkApplication: ResourceKind = {
  type: "aws_kinesisanalyticsv2_application",
  what: "Flink application",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_kinesisanalyticsv2_application"));
    const applications = await pages(async (NextToken) => {
      const r = await clients.kinesisanalyticsv2.send(new ListApplicationsCommand({ NextToken }));
      return { items: r.ApplicationSummaries ?? [], next: r.NextToken };
    });
    const found: LiveObject[] = [];
    for (const a of applications) {
      const name = a.ApplicationName ?? "";
      if (a.ApplicationStatus === "DELETING") continue;
      if (!wanted.has(name) && !name.startsWith(`${env.prefix}-`)) continue;
      const arn = a.ApplicationARN ?? "";
      const tags = tagMap(
        (await clients.kinesisanalyticsv2.send(new ListApplicationTags({ ResourceARN: arn }))).Tags,
      );
      if (!wanted.has(name) && !hasEnvironmentTags(tags, env)) continue;
      const detail = (
        await clients.kinesisanalyticsv2.send(new DescribeApplicationCommand({ ApplicationName: name }))
      ).ApplicationDetail;
      const flink = detail?.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription;
      const parallelism = flink?.ParallelismConfigurationDescription;
      const kpus =
        Math.ceil(
          (parallelism?.CurrentParallelism ?? parallelism?.Parallelism ?? 1) /
            (parallelism?.ParallelismPerKPU ?? 1),
        ) + 1;
      // A stopped (READY) application costs nothing per hour; any other state runs its KPUs.
      const running = a.ApplicationStatus !== "READY";
      const vpc = detail?.ApplicationConfigurationDescription?.VpcConfigurationDescriptions ?? [];
      found.push({
        type: "aws_kinesisanalyticsv2_application",
        id: arn,
        importId: arn,
        label: `Flink application ${name} (${a.ApplicationStatus}${running ? `, ${kpus} KPUs` : ""})`,
        tags,
        attributes: { id: arn, arn, name, service_execution_role: detail?.ServiceExecutionRole },
        uses: [
          roleName(detail?.ServiceExecutionRole),
          ...vpc.flatMap((v) => v.SecurityGroupIds ?? []),
        ].filter(Boolean),
        createdAt: detail?.CreateTimestamp,
        ...(running ? { monthlyUsd: kpus * FLINK_PRICES.kpuHour.usd * PRICE_TABLE.hoursPerMonth } : {}),
      });
    }
    return found;
  },
  identity: byName("name"),
  keptBecause:
    "an application's snapshots hold its state: check it, then `aws kinesisanalyticsv2 delete-application`",
};

/** Glue tags of a registry or schema; undefined when it was deleted meanwhile. */
async function glueTags(clients: AwsClients, arn: string): Promise<Tags | undefined> {
  try {
    return (await clients.glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags ?? {};
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/** Schema registries: imported by ARN; an orphan is deleted only while it holds no schema. */
const glueRegistry: ResourceKind = {
  type: "aws_glue_registry",
  what: "schema registry",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_glue_registry"));
    const registries = await pages(async (NextToken) => {
      const r = await clients.glue.send(new ListRegistriesCommand({ NextToken }));
      return { items: r.Registries ?? [], next: r.NextToken };
    });
    const found: LiveObject[] = [];
    for (const g of registries) {
      const name = g.RegistryName ?? "";
      if (g.Status === "DELETING") continue;
      if (!wanted.has(name) && !name.startsWith(env.prefix)) continue;
      const arn = g.RegistryArn ?? "";
      const tags = await glueTags(clients, arn);
      if (tags === undefined || (!wanted.has(name) && !hasEnvironmentTags(tags, env))) continue;
      found.push({
        type: "aws_glue_registry",
        id: arn,
        importId: arn,
        label: `schema registry ${name}`,
        tags,
        attributes: { id: arn, arn, registry_name: name },
        uses: [],
        createdAt: g.CreatedTime ? new Date(g.CreatedTime) : undefined,
      });
    }
    return found;
  },
  identity: byName("registry_name"),
  remove: async (clients, o) => {
    const schemas = await clients.glue.send(
      new ListSchemasCommand({ RegistryId: { RegistryArn: o.id }, MaxResults: 1 }),
    );
    if ((schemas.Schemas?.length ?? 0) > 0)
      return "kept: it holds schemas, whose versions decode records; delete it yourself if they are not needed";
    await clients.glue.send(new DeleteRegistryCommand({ RegistryId: { RegistryArn: o.id } }));
    return "deleted (it held no schema)";
  },
  removeOrder: 99,
};

/** A schema's registry ARN from the schema's ARN (arn:<partition>:glue:<region>:<account>:schema/<registry>/<name>). */
export function registryArnOf(schemaArn: string): string {
  return schemaArn.replace(/:schema\/([^/]+)\/[^/]+$/, ":registry/$1");
}

/** Schemas in the registries the stack names: imported by ARN, never deleted here. */
const glueSchema: ResourceKind = {
  type: "aws_glue_schema",
  what: "schema",
  async list({ clients, env, names }) {
    const wanted = new Set(names("aws_glue_schema"));
    const found: LiveObject[] = [];
    for (const RegistryName of names("aws_glue_registry")) {
      let schemas: Awaited<ReturnType<typeof listSchemas>>;
      try {
        schemas = await listSchemas(clients, RegistryName);
      } catch (error) {
        if (notFound(error)) continue; // the registry does not exist (yet)
        throw error;
      }
      for (const s of schemas) {
        const name = s.SchemaName ?? "";
        const arn = s.SchemaArn ?? "";
        if (s.SchemaStatus === "DELETING") continue;
        const tags = await glueTags(clients, arn);
        if (tags === undefined || (!wanted.has(name) && !hasEnvironmentTags(tags, env))) continue;
        const registryArn = registryArnOf(arn);
        found.push({
          type: "aws_glue_schema",
          id: arn,
          importId: arn,
          label: `schema ${name} in registry ${RegistryName}`,
          tags,
          attributes: {
            id: arn,
            arn,
            schema_name: name,
            registry_arn: registryArn,
            registry_name: RegistryName,
          },
          uses: [registryArn],
          createdAt: s.CreatedTime ? new Date(s.CreatedTime) : undefined,
        });
      }
    }
    return found;
  },
  identity: (config, o) =>
    config.get("schema_name") === o.attributes.schema_name &&
    config.get("registry_arn") === o.attributes.registry_arn,
  keptBecause:
    "a schema's versions decode the records written with them: check it, then `aws glue delete-schema`",
};

async function listSchemas(clients: AwsClients, RegistryName: string) {
  return pages(async (NextToken) => {
    const r = await clients.glue.send(new ListSchemasCommand({ RegistryId: { RegistryName }, NextToken }));
    return { items: r.Schemas ?? [], next: r.NextToken };
  });
}

/**
 * Managed VPC connections (client stacks): the connections of the clusters and VPCs the stack names. No name:
 * identity is the cluster, the VPC, the auth scheme and the subnets. Deleting an orphan loses no data (it
 * is a set of network interfaces); recover waits until it is gone, which frees its security group.
 */
const vpcConnection: ResourceKind = {
  type: "aws_msk_vpc_connection",
  what: "MSK VPC connection",
  async list({ clients, values }) {
    const targets = new Set(values("aws_msk_vpc_connection", "target_cluster_arn"));
    const vpcs = new Set(values("aws_msk_vpc_connection", "vpc_id"));
    if (targets.size === 0) return [];
    const connections = await pages(async (NextToken) => {
      const r = await clients.kafka.send(new ListVpcConnectionsCommand({ NextToken }));
      return { items: r.VpcConnections ?? [], next: r.NextToken };
    });
    const found: LiveObject[] = [];
    for (const c of connections) {
      if (!targets.has(c.TargetClusterArn ?? "") || c.State === "DELETING") continue;
      if (vpcs.size > 0 && !vpcs.has(c.VpcId ?? "")) continue;
      const arn = c.VpcConnectionArn ?? "";
      const d = await clients.kafka.send(new DescribeVpcConnectionCommand({ Arn: arn }));
      found.push({
        type: "aws_msk_vpc_connection",
        id: arn,
        importId: arn,
        label: `MSK VPC connection ${arn.split("/").pop()} in ${c.VpcId} (${c.Authentication}, ${c.State})`,
        tags: d.Tags ?? {},
        attributes: {
          id: arn,
          arn,
          target_cluster_arn: c.TargetClusterArn,
          vpc_id: c.VpcId,
          authentication: c.Authentication,
          client_subnets: d.Subnets ?? [],
          security_groups: d.SecurityGroups ?? [],
        },
        uses: [c.VpcId ?? "", ...(d.Subnets ?? []), ...(d.SecurityGroups ?? [])].filter(Boolean),
        createdAt: c.CreationTime,
      });
    }
    return found;
  },
  identity: (config, o) =>
    config.get("target_cluster_arn") === o.attributes.target_cluster_arn &&
    config.get("vpc_id") === o.attributes.vpc_id &&
    config.get("authentication") === o.attributes.authentication &&
    sameSet(
      (config.get("client_subnets") as unknown[] | undefined) ?? [],
      o.attributes.client_subnets as unknown[],
    ),
  remove: async (clients, o, log) => {
    await clients.kafka.send(new DeleteVpcConnectionCommand({ Arn: o.id }));
    log(`  waiting for ${o.id} to be deleted (it releases its network interfaces and security group)`);
    const gone = await waitFor(async () => {
      try {
        const state = (await clients.kafka.send(new DescribeVpcConnectionCommand({ Arn: o.id }))).State;
        return state !== "DELETING" && state !== "AVAILABLE";
      } catch (error) {
        if (notFound(error)) return true;
        throw error;
      }
    });
    return gone ? "deleted" : "deletion started; not finished after 10 minutes";
  },
  removeOrder: 12,
};

export const consumerKinds: readonly ResourceKind[] = [
  lambdaFunction,
  eventSourceMapping,
  flinkApplication,
  glueRegistry,
  glueSchema,
  vpcConnection,
];
