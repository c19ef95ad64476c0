/**
 * `consumers.flink`: Managed Service for Apache Flink applications. Limits from botocore's kinesisanalyticsv2
 * model (2018-05-23) and the provider (hashicorp/aws 5.100.0); runtimes from flink-runtimes.ts.
 */
import { PLATFORM_PROPERTY_GROUP } from "../../modules/consumers/flink-application";
import type { EnvironmentConfig, FlinkApplicationConfig } from "../config";
import { DEFAULTS, partitionOf } from "../defaults";
import type { Checker } from "./checker";
import { creatableFlinkRuntimes, FLINK_RUNTIMES_AS_OF, flinkRuntime } from "./flink-runtimes";
import { topicNameProblem } from "./names";
import { validateSchemaReferences } from "./schema-registry";
import { SECURITY_GROUP_ID } from "./sharing";
import { requireDeclaredTopic } from "./topics";

export const FLINK_LIMITS = {
  /** ApplicationName: 1-128 of [a-zA-Z0-9_.-]. */
  applicationNameMax: 128,
  /** IAM role names are at most 64 characters; the role is `<prefix>-flink-<name>`. */
  roleNameMax: 64,
  /** ParallelismPerKPU: at most 8 (Managed Service for Apache Flink developer guide, "Application scaling"). */
  parallelismPerKpuMax: 8,
  /** Default quota "Kinesis Processing Units per application" (Service Quotas; the model calls it 64). */
  kpuQuotaDefault: 64,
  /** The model advises against metrics level PARALLELISM above parallelism 64. */
  parallelismMetricsMax: 64,
  /** PropertyGroups: at most 50 (one is the platform's); PropertyMap: 1-50 entries. */
  propertyGroupsMax: 50,
  propertyMapMax: 50,
  /** PropertyKey / PropertyValue: 1-2048 characters. */
  propertyTextMax: 2048,
  /** Id of a property group: 1-50 of [a-zA-Z0-9_.-]. */
  propertyGroupId: /^[a-zA-Z0-9_.-]{1,50}$/,
  /** FileKey / ObjectVersion: at most 1024 characters. */
  fileKeyMax: 1024,
  /** SecurityGroupIds: 1-5; one is the application's own group. */
  securityGroupsMax: 5,
} as const;

const NAME = /^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/;
const S3_BUCKET_ARN = /^arn:(aws|aws-cn|aws-us-gov):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
const LOG_LEVELS = ["INFO", "WARN", "ERROR", "DEBUG"] as const;
const METRICS_LEVELS = ["APPLICATION", "TASK", "OPERATOR", "PARALLELISM"] as const;

const prefixOf = (config: EnvironmentConfig) => `${config.project ?? DEFAULTS.project}-${config.name}`;

function validateRuntime(c: Checker, path: string, runtime: unknown): void {
  const row = typeof runtime === "string" ? flinkRuntime(runtime) : undefined;
  const allowed = creatableFlinkRuntimes().join(", ");
  if (
    !c.check(
      row !== undefined,
      path,
      runtime,
      `must be a Managed Service for Apache Flink runtime: ${allowed}`,
    ) ||
    !row
  )
    return;
  if (row.endOfSupport !== undefined) {
    c.check(
      false,
      path,
      runtime,
      `reached end of support in ${row.endOfSupport} and AWS no longer creates applications on it (${row.source}); use ${allowed} (table of ${FLINK_RUNTIMES_AS_OF})`,
    );
  } else if (!row.provider) {
    c.check(
      false,
      path,
      runtime,
      `is accepted by AWS, but the pinned provider hashicorp/aws 5.100.0 refuses it at plan; use ${allowed}`,
    );
  }
}

function validateCode(
  c: Checker,
  path: string,
  config: EnvironmentConfig,
  code: FlinkApplicationConfig["code"],
): void {
  if (!c.check(typeof code === "object" && code !== null, path, code, "must be { bucketArn, fileKey }"))
    return;
  const arn = S3_BUCKET_ARN.exec(typeof code.bucketArn === "string" ? code.bucketArn : "");
  if (
    c.check(
      arn !== null,
      `${path}.bucketArn`,
      code.bucketArn,
      'must be an S3 bucket ARN such as "arn:aws:s3:::acme-flink-apps"',
    ) &&
    arn !== null &&
    typeof config.region === "string"
  ) {
    const partition = partitionOf(config.region);
    c.check(
      arn[1] === partition,
      `${path}.bucketArn`,
      code.bucketArn,
      `must be in the environment's partition "${partition}"`,
    );
  }
  c.check(
    typeof code.fileKey === "string" &&
      code.fileKey.length >= 1 &&
      code.fileKey.length <= FLINK_LIMITS.fileKeyMax,
    `${path}.fileKey`,
    code.fileKey,
    `must be an object key of 1-${FLINK_LIMITS.fileKeyMax} characters, e.g. "order-enricher/order-enricher-1.4.2.jar"`,
  );
  if (code.objectVersion !== undefined) {
    c.check(
      typeof code.objectVersion === "string" &&
        code.objectVersion.length >= 1 &&
        code.objectVersion.length <= 1024,
      `${path}.objectVersion`,
      code.objectVersion,
      "must be an S3 version id of 1-1024 characters",
    );
  }
}

function validateTopicList(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  topics: unknown,
  allowEmpty: boolean,
): void {
  if (!c.list(path, topics, "topic", allowEmpty)) return;
  const namesOk = topics.map((t, i) => c.problem(`${path}[${i}]`, t, topicNameProblem(t))).every(Boolean);
  if (!namesOk || !c.unique(path, topics)) return;
  topics.forEach((t, i) => {
    requireDeclaredTopic(c, config, `${path}[${i}]`, t as string);
  });
}

function validateScaling(c: Checker, path: string, app: FlinkApplicationConfig): void {
  const p = app.parallelism;
  if (p !== undefined && !c.check(typeof p === "object" && p !== null, path, p, "must be an object")) return;
  const parallelismOk = p?.parallelism === undefined || c.integer(`${path}.parallelism`, p.parallelism, 1);
  const perKpuOk =
    p?.parallelismPerKpu === undefined ||
    c.integer(`${path}.parallelismPerKpu`, p.parallelismPerKpu, 1, FLINK_LIMITS.parallelismPerKpuMax);
  if (p?.autoScaling !== undefined) c.boolean(`${path}.autoScaling`, p.autoScaling);
  if (!parallelismOk || !perKpuOk) return;
  const parallelism = p?.parallelism ?? 1;
  const kpus = Math.ceil(parallelism / (p?.parallelismPerKpu ?? 1));
  if (kpus > FLINK_LIMITS.kpuQuotaDefault) {
    c.warn(
      "flink-kpu-quota",
      `${path}.parallelism`,
      parallelism,
      `needs ${kpus} KPUs, above the default quota of ${FLINK_LIMITS.kpuQuotaDefault} KPUs per application: request a raise in Service Quotas first, or the application fails to start`,
    );
  }
  if (app.logging?.metricsLevel === "PARALLELISM" && parallelism > FLINK_LIMITS.parallelismMetricsMax) {
    c.warn(
      "flink-metrics-cost",
      `${path.replace(/\.parallelism$/, "")}.logging.metricsLevel`,
      "PARALLELISM",
      `with parallelism ${parallelism}: AWS advises against PARALLELISM metrics above ${FLINK_LIMITS.parallelismMetricsMax} (CloudWatch cost)`,
    );
  }
}

function validateCheckpoints(
  c: Checker,
  path: string,
  checkpoints: FlinkApplicationConfig["checkpoints"],
): void {
  if (checkpoints === undefined) return;
  if (
    !c.check(typeof checkpoints === "object" && checkpoints !== null, path, checkpoints, "must be an object")
  )
    return;
  if (checkpoints.enabled !== undefined) c.boolean(`${path}.enabled`, checkpoints.enabled);
  if (checkpoints.intervalMs !== undefined) c.integer(`${path}.intervalMs`, checkpoints.intervalMs, 1);
  if (checkpoints.minPauseMs !== undefined) c.integer(`${path}.minPauseMs`, checkpoints.minPauseMs, 0);
}

function validateLogging(c: Checker, path: string, logging: FlinkApplicationConfig["logging"]): void {
  if (logging === undefined) return;
  if (!c.check(typeof logging === "object" && logging !== null, path, logging, "must be an object")) return;
  if (logging.level !== undefined) c.oneOf(`${path}.level`, logging.level, LOG_LEVELS);
  if (logging.metricsLevel !== undefined)
    c.oneOf(`${path}.metricsLevel`, logging.metricsLevel, METRICS_LEVELS);
  if (logging.retentionDays !== undefined) c.retentionDays(`${path}.retentionDays`, logging.retentionDays);
}

function validateProperties(
  c: Checker,
  path: string,
  properties: FlinkApplicationConfig["properties"],
): void {
  if (properties === undefined) return;
  if (
    !c.check(
      typeof properties === "object" && properties !== null && !Array.isArray(properties),
      path,
      properties,
      "must be an object of property group id -> { key: value }",
    )
  )
    return;
  const groups = Object.entries(properties);
  c.check(
    groups.length <= FLINK_LIMITS.propertyGroupsMax - 1,
    path,
    `${groups.length} groups`,
    `must have at most ${FLINK_LIMITS.propertyGroupsMax - 1} groups (the API takes ${FLINK_LIMITS.propertyGroupsMax}; "${PLATFORM_PROPERTY_GROUP}" is the platform's)`,
  );
  for (const [id, map] of groups) {
    const groupPath = `${path}.${id}`;
    if (
      !c.pattern(
        groupPath,
        id,
        FLINK_LIMITS.propertyGroupId,
        "a property group id of 1-50 letters, digits, '_', '.' or '-'",
      )
    )
      continue;
    if (
      !c.check(
        id !== PLATFORM_PROPERTY_GROUP,
        groupPath,
        id,
        `is the platform's own group (bootstrap servers, topics, group id): use another id`,
      )
    )
      continue;
    if (
      !c.check(
        typeof map === "object" && map !== null && !Array.isArray(map),
        groupPath,
        map,
        "must be an object of key -> value",
      )
    )
      continue;
    const entries = Object.entries(map);
    c.check(
      entries.length >= 1 && entries.length <= FLINK_LIMITS.propertyMapMax,
      groupPath,
      `${entries.length} properties`,
      `must hold 1-${FLINK_LIMITS.propertyMapMax} properties`,
    );
    for (const [key, value] of entries) {
      const max = FLINK_LIMITS.propertyTextMax;
      c.check(
        key.length >= 1 && key.length <= max,
        `${groupPath}.${key}`,
        key,
        `property keys must be 1-${max} characters`,
      );
      c.check(
        typeof value === "string" && value.length >= 1 && value.length <= max,
        `${groupPath}.${key}`,
        value,
        `must be a string of 1-${max} characters`,
      );
    }
  }
}

function validateApplication(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  app: FlinkApplicationConfig,
): void {
  const prefix = prefixOf(config);
  if (
    c.pattern(
      `${path}.name`,
      app.name,
      NAME,
      "lowercase letters, digits and dashes, starting with a letter",
    ) &&
    typeof config.name === "string"
  ) {
    const role = `${prefix}-flink-${app.name}`;
    c.check(
      role.length <= FLINK_LIMITS.roleNameMax,
      `${path}.name`,
      app.name,
      `must be at most ${FLINK_LIMITS.roleNameMax - prefix.length - "-flink-".length} characters: its execution role "${role}" exceeds IAM's ${FLINK_LIMITS.roleNameMax}`,
    );
  }
  validateRuntime(c, `${path}.runtime`, app.runtime);
  validateCode(c, `${path}.code`, config, app.code);
  validateTopicList(c, config, `${path}.inputTopics`, app.inputTopics, false);
  if (app.outputTopics !== undefined)
    validateTopicList(c, config, `${path}.outputTopics`, app.outputTopics, true);
  c.problem(
    `${path}.consumerGroup`,
    app.consumerGroup,
    topicNameProblem(app.consumerGroup) && `${topicNameProblem(app.consumerGroup)} (a consumer group id)`,
  );
  c.boolean(`${path}.running`, app.running);
  validateScaling(c, `${path}.parallelism`, app);
  validateCheckpoints(c, `${path}.checkpoints`, app.checkpoints);
  if (
    app.snapshots !== undefined &&
    c.boolean(`${path}.snapshots`, app.snapshots) &&
    !app.snapshots &&
    config.production
  ) {
    c.warn(
      "flink-snapshots-off",
      `${path}.snapshots`,
      false,
      "production application without snapshots: every stop, update or maintenance restart loses its state",
    );
  }
  validateLogging(c, `${path}.logging`, app.logging);
  validateSchemaReferences(c, config, `${path}.schemas`, app.schemas);
  validateProperties(c, `${path}.properties`, app.properties);
  if (
    config.network?.mode === "existing" &&
    Array.isArray(app.schemas) &&
    app.schemas.length > 0 &&
    (app.additionalSecurityGroupIds ?? []).length === 0
  ) {
    c.warn(
      "flink-glue-path",
      `${path}.schemas`,
      app.schemas,
      "in a VPC that already exists the stack creates no Glue endpoint: list a group in additionalSecurityGroupIds that reaches Glue (your endpoint or NAT), or the application cannot read its schemas",
    );
  }
  const groups = app.additionalSecurityGroupIds;
  if (
    groups !== undefined &&
    c.list(`${path}.additionalSecurityGroupIds`, groups, "security group id", true)
  ) {
    const idsOk = groups
      .map((g, i) =>
        c.pattern(
          `${path}.additionalSecurityGroupIds[${i}]`,
          g,
          SECURITY_GROUP_ID,
          'a security group id such as "sg-0123456789abcdef0"',
        ),
      )
      .every(Boolean);
    if (idsOk && c.unique(`${path}.additionalSecurityGroupIds`, groups)) {
      c.check(
        groups.length <= FLINK_LIMITS.securityGroupsMax - 1,
        `${path}.additionalSecurityGroupIds`,
        groups,
        `must list at most ${FLINK_LIMITS.securityGroupsMax - 1} groups (the API takes ${FLINK_LIMITS.securityGroupsMax}; one is the application's own)`,
      );
    }
  }
}

/** The `consumers` section's Flink applications. */
export function validateFlink(c: Checker, config: EnvironmentConfig): void {
  const consumers = config.consumers;
  if (consumers === undefined) return;
  if (
    !c.check(
      typeof consumers === "object" && consumers !== null,
      "consumers",
      consumers,
      "must be an object { flink: [...] }",
    )
  )
    return;
  const apps = consumers.flink;
  if (apps === undefined || !c.list("consumers.flink", apps, "Flink application", true)) return;
  const seen = new Map<string, number>();
  apps.forEach((app, i) => {
    const path = `consumers.flink[${i}]`;
    if (!c.check(typeof app === "object" && app !== null, path, app, "must be a Flink application object"))
      return;
    validateApplication(c, config, path, app);
    if (typeof app.name === "string") {
      const first = seen.get(app.name);
      c.check(
        first === undefined,
        `${path}.name`,
        app.name,
        `is declared twice (also consumers.flink[${first}])`,
      );
      seen.set(app.name, i);
    }
  });
  if (apps.length === 0) return;
  const cluster = config.cluster;
  if (cluster?.type === "provisioned") {
    c.check(
      (cluster.auth?.iam ?? true) && cluster.clientBroker !== "PLAINTEXT",
      "cluster.auth.iam",
      cluster.auth?.iam,
      "must be true (with TLS to clients) while consumers.flink is set: Flink applications authenticate with their IAM role on 9098",
    );
  }
}
