/**
 * Which resource types hold data, and what a delete or replacement of one loses. Classified by resource
 * type, never by address, so resources added later (SCRAM secrets, access-log buckets, serverless
 * clusters, connectors) are covered the day they appear in a plan.
 */

type Values = Readonly<Record<string, unknown>>;

export interface StatefulType {
  /** What it is, for the report. */
  readonly what: string;
  /** What a delete or replacement loses, from the resource's values before the change. */
  readonly lost: (before: Values) => string;
  /** Only destructive while a cluster still uses it (aws_msk_configuration). */
  readonly onlyWhileInUse?: boolean;
  /** Whether this one holds data, from its values before the change. @default always */
  readonly holdsData?: (before: Values) => boolean;
}

const str = (value: unknown, fallback: string) =>
  typeof value === "string" && value.length > 0 ? value : fallback;

/** Deleting or replacing one of these loses data: the review fails (exit 3) unless --allow-destroy. */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  aws_msk_cluster: {
    what: "MSK cluster",
    lost: () =>
      "all topic data and consumer group offsets; clients must move to the new cluster's bootstrap brokers",
  },
  aws_msk_serverless_cluster: {
    what: "MSK Serverless cluster",
    lost: () =>
      "all topic data and consumer group offsets; clients must move to the new cluster's bootstrap brokers",
  },
  aws_msk_configuration: {
    what: "MSK configuration in use",
    lost: () =>
      "the server-properties revisions of a configuration a cluster still uses; MSK refuses the delete " +
      "while the cluster references it, so the apply fails half-way",
    onlyWhileInUse: true,
  },
  aws_s3_bucket: {
    what: "S3 bucket",
    lost: (b) =>
      `all objects and object versions in s3://${str(b.bucket, "the bucket")} (sink objects and versions, ` +
      `or access logs)${b.force_destroy === true ? "; force_destroy is on, so they are deleted with it" : "; S3 refuses to delete a non-empty bucket, so the apply fails until it is emptied"}`,
  },
  aws_kms_key: {
    what: "KMS key",
    lost: (b) =>
      "data encrypted under this key (cluster volumes, sink objects, log groups or secrets that use it) " +
      `becomes unreadable after the ${typeof b.deletion_window_in_days === "number" ? `${b.deletion_window_in_days}-day ` : ""}deletion window`,
  },
  aws_cloudwatch_log_group: {
    what: "CloudWatch log group",
    lost: (b) =>
      `every stored log event in ${str(b.name, "the log group")}` +
      (typeof b.retention_in_days === "number" && b.retention_in_days > 0
        ? ` (up to ${b.retention_in_days} days of history)`
        : ""),
  },
  aws_secretsmanager_secret: {
    what: "Secrets Manager secret",
    lost: (b) =>
      `the secret value and its versions (${str(b.name, "the secret")}; SCRAM users can no longer ` +
      `authenticate)` +
      (typeof b.recovery_window_in_days === "number" && b.recovery_window_in_days > 0
        ? `, recoverable for ${b.recovery_window_in_days} days`
        : ", with no recovery window"),
  },
  aws_secretsmanager_secret_version: {
    what: "Secrets Manager secret version",
    lost: () => "the credential value stored in this version",
  },
  aws_glue_registry: {
    what: "Glue schema registry",
    lost: (b) =>
      `every schema of ${str(b.registry_name, "the registry")} and all their versions: records written with them name a version id that no longer exists, so Glue deserializers fail on them`,
  },
  aws_glue_schema: {
    what: "Glue schema",
    lost: (b) =>
      `every version of ${str(b.schema_name, "the schema")} (${str(b.data_format, "its format")}, ${typeof b.latest_schema_version === "number" && b.latest_schema_version > 0 ? `${b.latest_schema_version} versions` : "all versions"}): records written with them can no longer be decoded; a re-created schema starts again at version 1 with new version ids`,
  },
  aws_kinesisanalyticsv2_application: {
    what: "Flink application with snapshots",
    lost: (b) =>
      `the snapshots of ${str(b.name, "the application")} (its keyed and window state and source offsets) are deleted with it; a new application starts from empty state`,
    // Without snapshots nothing durable is lost: the application restarts without state on every stop anyway.
    holdsData: (b) => {
      const config = (b.application_configuration as Values[] | undefined)?.[0];
      const snapshots = (config?.application_snapshot_configuration as Values[] | undefined)?.[0];
      return snapshots?.snapshots_enabled !== false;
    },
  },
  aws_dynamodb_table: { what: "DynamoDB table", lost: () => "every item in the table" },
  aws_efs_file_system: { what: "EFS file system", lost: () => "every file on the file system" },
};

/** Replacing or deleting one of these loses no data but interrupts something; shown, never gating. */
export const DISRUPTIVE_TYPES: Readonly<Record<string, string>> = {
  aws_mskconnect_connector:
    "the connector stops until it is recreated (its offsets stay in the cluster's consumer group)",
  aws_msk_scram_secret_association: "SCRAM users cannot authenticate until the secrets are associated again",
  aws_nat_gateway: "private-subnet egress stops until the new NAT gateway is up, and its public IP changes",
  aws_eip: "the public IP address changes (update allow-lists that name it)",
  aws_vpc: "the VPC is recreated: everything inside it is recreated too",
  aws_subnet: "the subnet is recreated: brokers and workers in it move",
  aws_security_group: "clients attached to the group lose access until attached to the new one",
  aws_iam_role: "sessions using the role fail until the new role exists",
  aws_sns_topic: "alarm subscriptions must be confirmed again",
  aws_appautoscaling_target: "storage autoscaling stops until the target is recreated",
  aws_kms_alias: "callers that use the alias fail until it is recreated",
  aws_kinesisanalyticsv2_application:
    "the Flink application stops and is re-created without state (snapshots are off); it resumes from its consumer group's committed offsets",
};
