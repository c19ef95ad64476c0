/**
 * Verifiers for IAM (roles, their trust and inline policies, managed policies), KMS keys and aliases,
 * CloudWatch log groups and alarms, Secrets Manager secrets and SNS topics.
 */
import {
  DescribeAlarmsCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand as ListLogTagsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyTagsCommand,
} from "@aws-sdk/client-iam";
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import { DescribeSecretCommand, GetResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";
import {
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
} from "@aws-sdk/client-sns";
import { checkTags, type Verifier } from "./checks";
import { blocks } from "./stack";

const str = (value: unknown): string => String(value ?? "");

/** A role: trust policy exactly as intended, description, session length, path, tags. */
const role: Verifier = async (r, context) => {
  const found = (
    await context.clients.iam.send(new GetRoleCommand({ RoleName: str(r.state.name ?? r.state.id) }))
  ).Role;
  if (!found) return context.check.fail(r.address, "role not found");
  const { check } = context;
  const i = r.intended;
  if (i.name !== undefined) check.equal(r.address, "name", i.name, found.RoleName);
  check.samePolicy(r.address, "assume_role_policy", i.assume_role_policy, found.AssumeRolePolicyDocument);
  check.equal(r.address, "description", i.description ?? "", found.Description ?? "");
  check.equal(r.address, "max_session_duration", i.max_session_duration ?? 3600, found.MaxSessionDuration);
  check.equal(r.address, "path", i.path ?? "/", found.Path);
  if (i.permissions_boundary !== undefined)
    check.equal(
      r.address,
      "permissions_boundary",
      i.permissions_boundary,
      found.PermissionsBoundary?.PermissionsBoundaryArn,
    );
  checkTags(r, context, found.Tags);
};

const rolePolicy: Verifier = async (r, context) => {
  const found = await context.clients.iam.send(
    new GetRolePolicyCommand({ RoleName: str(r.intended.role), PolicyName: str(r.intended.name) }),
  );
  context.check.samePolicy(r.address, "policy", r.intended.policy, found.PolicyDocument);
};

const managedPolicy: Verifier = async (r, context) => {
  const { iam } = context.clients;
  const arn = str(r.state.arn);
  const found = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
  if (!found) return context.check.fail(r.address, `policy ${arn} not found`);
  const { check } = context;
  if (r.intended.name !== undefined) check.equal(r.address, "name", r.intended.name, found.PolicyName);
  check.equal(r.address, "path", r.intended.path ?? "/", found.Path);
  check.equal(r.address, "description", r.intended.description ?? "", found.Description ?? "");
  const version = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: found.DefaultVersionId }),
  );
  check.samePolicy(r.address, "policy", r.intended.policy, version.PolicyVersion?.Document);
  checkTags(r, context, (await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags);
};

const rolePolicyAttachment: Verifier = async (r, context) => {
  const attached = await context.clients.iam.send(
    new ListAttachedRolePoliciesCommand({ RoleName: str(r.intended.role) }),
  );
  context.check.equal(
    r.address,
    `policy attached to ${str(r.intended.role)}`,
    true,
    (attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === r.intended.policy_arn),
  );
};

/** A key: enabled, its description, spec, rotation and exactly the intended key policy. */
const kmsKey: Verifier = async (r, context) => {
  const { kms } = context.clients;
  const keyId = str(r.state.key_id ?? r.state.id);
  const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  if (!meta) return context.check.fail(r.address, `key ${keyId} not found`);
  const { check } = context;
  const i = r.intended;
  check.equal(r.address, "key_state", i.is_enabled === false ? "Disabled" : "Enabled", meta.KeyState);
  check.equal(r.address, "description", i.description ?? "", meta.Description ?? "");
  check.equal(r.address, "key_usage", i.key_usage ?? "ENCRYPT_DECRYPT", meta.KeyUsage);
  check.equal(
    r.address,
    "customer_master_key_spec",
    i.customer_master_key_spec ?? "SYMMETRIC_DEFAULT",
    meta.KeySpec,
  );
  check.equal(r.address, "multi_region", i.multi_region ?? false, meta.MultiRegion ?? false);
  const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  check.equal(r.address, "enable_key_rotation", i.enable_key_rotation ?? false, rotation.KeyRotationEnabled);
  if (i.policy !== undefined) {
    const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }));
    check.samePolicy(r.address, "policy", i.policy, policy.Policy);
  }
  checkTags(
    r,
    context,
    ((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags ?? []).map((t) => ({
      Key: t.TagKey,
      Value: t.TagValue,
    })),
  );
};

const kmsAlias: Verifier = async (r, context) => {
  const target = str(r.intended.target_key_id);
  const aliases = await context.clients.kms.send(new ListAliasesCommand({ KeyId: target }));
  context.check.equal(
    r.address,
    `alias of key ${target}`,
    r.intended.name,
    aliases.Aliases?.find((a) => a.AliasName === r.intended.name)?.AliasName,
  );
};

const logGroup: Verifier = async (r, context) => {
  const name = str(r.intended.name ?? r.state.name);
  const groups = await context.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const found = groups.logGroups?.find((g) => g.logGroupName === name);
  if (!found) return context.check.fail(r.address, `log group ${name} not found`);
  const { check } = context;
  const retention = r.intended.retention_in_days;
  check.equal(r.address, "retention_in_days", retention === 0 ? undefined : retention, found.retentionInDays);
  check.equal(r.address, "kms_key_id", r.intended.kms_key_id, found.kmsKeyId);
  const arn = str(r.state.arn).replace(/:\*$/, "");
  checkTags(r, context, (await context.clients.logs.send(new ListLogTagsCommand({ resourceArn: arn }))).tags);
};

const secret: Verifier = async (r, context) => {
  const { secrets } = context.clients;
  const arn = str(r.state.arn ?? r.state.id);
  const found = await secrets.send(new DescribeSecretCommand({ SecretId: arn }));
  const { check } = context;
  if (r.intended.name !== undefined) check.equal(r.address, "name", r.intended.name, found.Name);
  check.equal(r.address, "kms_key_id", r.intended.kms_key_id, found.KmsKeyId);
  check.equal(r.address, "description", r.intended.description ?? "", found.Description ?? "");
  checkTags(r, context, found.Tags);
};

const secretPolicy: Verifier = async (r, context) => {
  const found = await context.clients.secrets.send(
    new GetResourcePolicyCommand({ SecretId: str(r.intended.secret_arn) }),
  );
  context.check.samePolicy(r.address, "policy", r.intended.policy, found.ResourcePolicy);
};

const secretVersion: Verifier = async (r, context) => {
  const found = await context.clients.secrets.send(
    new DescribeSecretCommand({ SecretId: str(r.intended.secret_id) }),
  );
  const stages = found.VersionIdsToStages?.[str(r.state.version_id)] ?? [];
  context.check.sameItems(
    r.address,
    "version_stages",
    (r.intended.version_stages as string[] | undefined) ?? ["AWSCURRENT"],
    stages,
  );
};

const topic: Verifier = async (r, context) => {
  const { sns } = context.clients;
  const arn = str(r.state.arn ?? r.state.id);
  const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {};
  const { check } = context;
  check.equal(
    r.address,
    "kms_master_key_id",
    r.intended.kms_master_key_id ?? "",
    attributes.KmsMasterKeyId ?? "",
  );
  if (r.intended.policy !== undefined)
    check.samePolicy(r.address, "policy", r.intended.policy, attributes.Policy);
  checkTags(r, context, (await sns.send(new ListTopicTagsCommand({ ResourceArn: arn }))).Tags);
};

const topicPolicy: Verifier = async (r, context) => {
  const attributes = (
    await context.clients.sns.send(new GetTopicAttributesCommand({ TopicArn: str(r.intended.arn) }))
  ).Attributes;
  context.check.samePolicy(r.address, "policy", r.intended.policy, attributes?.Policy);
};

const subscription: Verifier = async (r, context) => {
  const arn = str(r.state.arn);
  if (!arn.startsWith("arn:")) return context.check.fail(r.address, `subscription not confirmed (${arn})`);
  const attributes =
    (await context.clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })))
      .Attributes ?? {};
  context.check.equal(
    r.address,
    "subscription",
    { topic_arn: r.intended.topic_arn, protocol: r.intended.protocol, endpoint: r.intended.endpoint },
    { topic_arn: attributes.TopicArn, protocol: attributes.Protocol, endpoint: attributes.Endpoint },
  );
};

/** A metric alarm: what it watches, when it fires and whom it tells. */
const metricAlarm: Verifier = async (r, context) => {
  const { cloudwatch } = context.clients;
  const i = r.intended;
  const found = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [str(i.alarm_name)] })))
    .MetricAlarms?.[0];
  if (!found) return context.check.fail(r.address, `alarm ${str(i.alarm_name)} not found`);
  const { check } = context;
  const dimensions = (found.Dimensions ?? []).map((d) => [d.Name, d.Value]);
  check.equal(
    r.address,
    "condition",
    {
      namespace: i.namespace,
      metric_name: i.metric_name,
      statistic: i.statistic,
      period: i.period,
      evaluation_periods: i.evaluation_periods,
      datapoints_to_alarm: i.datapoints_to_alarm,
      threshold: i.threshold,
      comparison_operator: i.comparison_operator,
      treat_missing_data: i.treat_missing_data ?? "missing",
      dimensions: Object.entries((i.dimensions as Record<string, string> | undefined) ?? {}).sort(),
      metric_queries: blocks(i.metric_query)
        .map((q) => q.id)
        .sort(),
    },
    {
      namespace: found.Namespace,
      metric_name: found.MetricName,
      statistic: found.Statistic,
      period: found.Period,
      evaluation_periods: found.EvaluationPeriods,
      datapoints_to_alarm: found.DatapointsToAlarm,
      threshold: found.Threshold,
      comparison_operator: found.ComparisonOperator,
      treat_missing_data: found.TreatMissingData ?? "missing",
      dimensions: dimensions.sort(),
      metric_queries: (found.Metrics ?? []).map((m) => m.Id).sort(),
    },
  );
  check.equal(r.address, "alarm_description", i.alarm_description ?? "", found.AlarmDescription ?? "");
  const actions = (value: unknown) => ((value as string[] | undefined) ?? []).slice().sort();
  check.equal(r.address, "alarm_actions", actions(i.alarm_actions), actions(found.AlarmActions));
  check.equal(r.address, "ok_actions", actions(i.ok_actions), actions(found.OKActions));
  checkTags(
    r,
    context,
    (await cloudwatch.send(new ListAlarmTagsCommand({ ResourceARN: found.AlarmArn }))).Tags,
  );
};

export const identityVerifiers: Readonly<Record<string, Verifier>> = {
  aws_iam_role: role,
  aws_iam_role_policy: rolePolicy,
  aws_iam_policy: managedPolicy,
  aws_iam_role_policy_attachment: rolePolicyAttachment,
  aws_kms_key: kmsKey,
  aws_kms_alias: kmsAlias,
  aws_cloudwatch_log_group: logGroup,
  aws_secretsmanager_secret: secret,
  aws_secretsmanager_secret_policy: secretPolicy,
  aws_secretsmanager_secret_version: secretVersion,
  aws_sns_topic: topic,
  aws_sns_topic_policy: topicPolicy,
  aws_sns_topic_subscription: subscription,
  aws_cloudwatch_metric_alarm: metricAlarm,
};
