/**
 * Everything the emulator holds, service by service, so "destroy leaves nothing" is checked against the
 * emulator's pristine inventory rather than against the resources Terraform remembers creating.
 */
import {
  DescribeScalableTargetsCommand,
  type ServiceNamespace,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { ListRegistriesCommand } from "@aws-sdk/client-glue";
import { ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { ListSubscriptionsCommand, ListTopicsCommand } from "@aws-sdk/client-sns";
import { pages } from "../aws-clients";
import type { EmulatorClients } from "./clients";

/** What exists (label by key), and what exists only as a scheduled deletion. */
export interface Inventory {
  readonly live: ReadonlyMap<string, string>;
  readonly scheduled: ReadonlyMap<string, string>;
}

function named(tags: readonly { Key?: string; Value?: string }[] | undefined): string {
  const name = tags?.find((t) => t.Key === "Name")?.Value;
  return name ? ` (${name})` : "";
}

/** Lists every resource of the services the rehearsal applies. */
export async function inventory(
  clients: EmulatorClients,
  scalingNamespaces: readonly string[] = ["kafka"],
): Promise<Inventory> {
  const live = new Map<string, string>();
  const scheduled = new Map<string, string>();
  const add = (key: string, label = key) => live.set(key, label);
  const { ec2 } = clients;

  for (const v of (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [])
    add(`vpc ${v.VpcId}`, `vpc ${v.VpcId} ${v.CidrBlock}${named(v.Tags)}`);
  for (const s of (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [])
    add(`subnet ${s.SubnetId}`, `subnet ${s.SubnetId} ${s.CidrBlock}${named(s.Tags)}`);
  for (const g of (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [])
    add(`security group ${g.GroupId}`, `security group ${g.GroupId} ${g.GroupName}${named(g.Tags)}`);
  for (const r of (await ec2.send(new DescribeSecurityGroupRulesCommand({}))).SecurityGroupRules ?? [])
    add(
      `security group rule ${r.SecurityGroupRuleId}`,
      `security group rule ${r.SecurityGroupRuleId} of ${r.GroupId}`,
    );
  for (const t of (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? [])
    add(`route table ${t.RouteTableId}`, `route table ${t.RouteTableId}${named(t.Tags)}`);
  for (const g of (await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways ?? [])
    add(`internet gateway ${g.InternetGatewayId}`, `internet gateway ${g.InternetGatewayId}${named(g.Tags)}`);
  for (const n of (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [])
    if (n.State !== "deleted" && n.State !== "deleting")
      add(`nat gateway ${n.NatGatewayId}`, `nat gateway ${n.NatGatewayId}${named(n.Tags)}`);
  // A NAT gateway's interface must go with it; one left behind blocks deleting its subnet on AWS.
  for (const n of (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces ?? [])
    add(
      `network interface ${n.NetworkInterfaceId}`,
      `network interface ${n.NetworkInterfaceId} in ${n.SubnetId} (${n.InterfaceType ?? "interface"}${n.Description ? `: ${n.Description}` : ""})`,
    );
  for (const a of (await ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [])
    add(`elastic ip ${a.AllocationId}`, `elastic ip ${a.AllocationId} ${a.PublicIp}${named(a.Tags)}`);
  for (const e of (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [])
    if (e.State?.toLowerCase() !== "deleted")
      add(
        `vpc endpoint ${e.VpcEndpointId}`,
        `vpc endpoint ${e.VpcEndpointId} ${e.ServiceName}${named(e.Tags)}`,
      );
  for (const f of (await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? [])
    add(`flow log ${f.FlowLogId}`, `flow log ${f.FlowLogId} of ${f.ResourceId}`);

  for (const b of (await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []) add(`bucket ${b.Name}`);

  const roles = await pages(async (Marker) => {
    const r = await clients.iam.send(new ListRolesCommand({ Marker }));
    return { items: r.Roles ?? [], next: r.IsTruncated ? r.Marker : undefined };
  });
  for (const r of roles) add(`iam role ${r.RoleName}`);
  const policies = await pages(async (Marker) => {
    const r = await clients.iam.send(new ListPoliciesCommand({ Scope: "Local", Marker }));
    return { items: r.Policies ?? [], next: r.IsTruncated ? r.Marker : undefined };
  });
  for (const p of policies) add(`iam policy ${p.Arn}`);

  const keys = await pages(async (Marker) => {
    const r = await clients.kms.send(new ListKeysCommand({ Marker }));
    return { items: r.Keys ?? [], next: r.Truncated ? r.NextMarker : undefined };
  });
  for (const k of keys) {
    const meta = (await clients.kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata;
    const label = `kms key ${k.KeyId} (${meta?.Description ?? ""})`;
    if (meta?.KeyState === "PendingDeletion")
      scheduled.set(`kms key ${k.KeyId}`, `${label} pending deletion on ${meta.DeletionDate?.toISOString()}`);
    else add(`kms key ${k.KeyId}`, `${label} ${meta?.KeyState}`);
  }
  const aliases = await pages(async (Marker) => {
    const r = await clients.kms.send(new ListAliasesCommand({ Marker }));
    return { items: r.Aliases ?? [], next: r.Truncated ? r.NextMarker : undefined };
  });
  for (const a of aliases) if (!a.AliasName?.startsWith("alias/aws/")) add(`kms alias ${a.AliasName}`);

  const groups = await pages(async (nextToken) => {
    const r = await clients.logs.send(new DescribeLogGroupsCommand({ nextToken }));
    return { items: r.logGroups ?? [], next: r.nextToken };
  });
  for (const g of groups) add(`log group ${g.logGroupName}`);

  const secrets = await pages(async (NextToken) => {
    const r = await clients.secrets.send(new ListSecretsCommand({ NextToken, IncludePlannedDeletion: true }));
    return { items: r.SecretList ?? [], next: r.NextToken };
  });
  for (const s of secrets) {
    if (s.DeletedDate) scheduled.set(`secret ${s.Name}`, `secret ${s.Name} scheduled for deletion`);
    else add(`secret ${s.Name}`);
  }

  const topics = await pages(async (NextToken) => {
    const r = await clients.sns.send(new ListTopicsCommand({ NextToken }));
    return { items: r.Topics ?? [], next: r.NextToken };
  });
  for (const t of topics) add(`sns topic ${t.TopicArn}`);
  const subscriptions = await pages(async (NextToken) => {
    const r = await clients.sns.send(new ListSubscriptionsCommand({ NextToken }));
    return { items: r.Subscriptions ?? [], next: r.NextToken };
  });
  for (const s of subscriptions)
    add(`sns subscription ${s.SubscriptionArn}`, `sns subscription ${s.Protocol}:${s.Endpoint}`);

  const alarms = await pages(async (NextToken) => {
    const r = await clients.cloudwatch.send(new DescribeAlarmsCommand({ NextToken }));
    return { items: [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])], next: r.NextToken };
  });
  for (const a of alarms) add(`alarm ${a.AlarmName}`);

  // A registry's schemas go with it (moto 5.2.1 has no ListSchemas; DeleteRegistry deletes them, as in AWS).
  const registries = await pages(async (NextToken) => {
    const r = await clients.glue.send(new ListRegistriesCommand({ NextToken }));
    return { items: r.Registries ?? [], next: r.NextToken };
  });
  for (const r of registries) add(`glue registry ${r.RegistryName}`);

  for (const namespace of scalingNamespaces) {
    const targets = await clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: namespace as ServiceNamespace }),
    );
    for (const t of targets.ScalableTargets ?? []) add(`scalable target ${namespace} ${t.ResourceId}`);
  }
  return { live, scheduled };
}

/** What `after` holds that `before` did not: still live, or only scheduled for deletion. */
export function leftovers(before: Inventory, after: Inventory): { remaining: string[]; scheduled: string[] } {
  const fresh = (map: ReadonlyMap<string, string>, seen: ReadonlyMap<string, string>) =>
    [...map]
      .filter(([key]) => !seen.has(key))
      .map(([, label]) => label)
      .sort();
  return { remaining: fresh(after.live, before.live), scheduled: fresh(after.scheduled, before.scheduled) };
}
