import type {
  ClientVpcConfig,
  ClusterConfig,
  EnvironmentConfig,
  SharedAccountConfig,
  SharedAuthMode,
} from "../config";
import { clientBackendOf, DEFAULTS, partitionOf } from "../defaults";
import { CLIENT_VPC_TAG, clientStackName } from "../stack-names";
import { MULTI_VPC_LIMITS } from "./aws-limits";
import type { Checker } from "./checker";
import { isRegion, REGION, validateBackendAt } from "./common";
import { patternProblem } from "./names";

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const CLIENT_NAME = /^[a-z][a-z0-9-]{0,19}$/;
/** arn:PARTITION:kafka:REGION:ACCOUNT:cluster/NAME/UUID-N, as the cluster_arn output prints it. */
const CLUSTER_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):kafka:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9-]+)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-\d+)?$/;
const AUTH_MODES: readonly SharedAuthMode[] = ["iam", "scram", "tls"];
const ACCESS = ["consume", "produce", "produce-and-consume"] as const;

/** How each shared auth mode is turned on on the cluster, for the fix in an error. */
const ENABLE_HINT: Readonly<Record<SharedAuthMode, string>> = {
  iam: "set cluster.auth.iam to true",
  scram: "add cluster.auth.scram",
  tls: "add cluster.auth.mutualTls",
};

/** Auth modes the cluster enables that multi-VPC connectivity can carry (never unauthenticated). */
export function enabledSharedModes(cluster: ClusterConfig | undefined): Set<SharedAuthMode> {
  if (cluster?.type === "serverless") return new Set(["iam"]);
  if (cluster?.type !== "provisioned") return new Set();
  const auth = cluster.auth ?? { iam: true };
  const modes = new Set<SharedAuthMode>();
  if (auth.iam ?? true) modes.add("iam");
  if (auth.scram !== undefined) modes.add("scram");
  if (auth.mutualTls !== undefined) modes.add("tls");
  return modes;
}

/** A list of ids matching `regex`, each once. */
function idList(
  c: Checker,
  path: string,
  value: unknown,
  what: string,
  regex: RegExp,
  example: string,
  allowEmpty: boolean,
): boolean {
  if (!c.list(path, value, what, allowEmpty)) return false;
  const ok = value
    .map((id, i) => c.pattern(`${path}[${i}]`, id, regex, `${what} such as "${example}"`))
    .every(Boolean);
  return ok && c.unique(path, value);
}

function validatePatterns(c: Checker, path: string, value: unknown, what: string): void {
  if (value === undefined || !c.list(path, value, what)) return;
  const ok = value.map((p, i) => c.problem(`${path}[${i}]`, p, patternProblem(p))).every(Boolean);
  if (ok) c.unique(path, value);
}

function validateAccount(
  c: Checker,
  config: EnvironmentConfig,
  account: SharedAccountConfig,
  i: number,
  enabled: Set<SharedAuthMode>,
): void {
  const path = `sharing.accounts[${i}]`;
  const idOk = c.pattern(`${path}.accountId`, account?.accountId, ACCOUNT_ID, "a 12-digit AWS account id");
  if (idOk) {
    c.check(
      account.accountId !== config.accountId,
      `${path}.accountId`,
      account.accountId,
      "is the environment's own account, whose principals need no cluster policy: list only other accounts",
    );
  }
  if (account?.roleArns !== undefined && c.list(`${path}.roleArns`, account.roleArns, "role ARN")) {
    const partition = isRegion(config.region) ? partitionOf(config.region) : undefined;
    const ok = account.roleArns
      .map((arn, j) => {
        const match = ROLE_ARN.exec(typeof arn === "string" ? arn : "");
        const at = `${path}.roleArns[${j}]`;
        return (
          c.check(
            match !== null,
            at,
            arn,
            `must be an IAM role ARN such as "arn:aws:iam::${idOk ? account.accountId : "444444444444"}:role/analytics-consumer"`,
          ) &&
          match !== null &&
          (!idOk ||
            c.check(
              match[2] === account.accountId,
              at,
              arn,
              `must be a role of account ${account.accountId}`,
            )) &&
          (partition === undefined ||
            c.check(match[1] === partition, at, arn, `must be in the environment's partition "${partition}"`))
        );
      })
      .every(Boolean);
    if (ok) c.unique(`${path}.roleArns`, account.roleArns);
  }
  if (c.list(`${path}.auth`, account?.auth, "auth mode (iam, scram, tls)")) {
    const ok = account.auth.map((mode, j) => c.oneOf(`${path}.auth[${j}]`, mode, AUTH_MODES)).every(Boolean);
    if (ok && c.unique(`${path}.auth`, account.auth)) {
      account.auth.forEach((mode, j) => {
        c.check(
          enabled.has(mode),
          `${path}.auth[${j}]`,
          mode,
          `is not enabled on the cluster: ${ENABLE_HINT[mode]}, or remove it (multi-VPC connectivity carries only the cluster's own auth modes)`,
        );
      });
    }
  }
  const access = account?.access ?? DEFAULTS.sharedKafkaAccess;
  if (account?.access !== undefined) c.oneOf(`${path}.access`, account.access, ACCESS);
  validatePatterns(c, `${path}.topicPatterns`, account?.topicPatterns, "topic pattern");
  validatePatterns(
    c,
    `${path}.consumerGroupPatterns`,
    account?.consumerGroupPatterns,
    "consumer group pattern",
  );
  const groups = account?.consumerGroupPatterns ?? config.cluster?.clientAccess?.consumerGroupPatterns ?? [];
  if (access !== "produce" && account?.auth?.includes("iam")) {
    c.check(
      Array.isArray(groups) && groups.length > 0,
      `${path}.consumerGroupPatterns`,
      account?.consumerGroupPatterns,
      `must list the consumer groups its consumers join (access "${access}"), or set access to "produce"`,
    );
  }
}

function validateClientVpc(
  c: Checker,
  config: EnvironmentConfig,
  vpc: ClientVpcConfig,
  i: number,
  enabled: Set<SharedAuthMode>,
): void {
  const path = `sharing.clientVpcs[${i}]`;
  const serverless = config.cluster?.type === "serverless";
  c.pattern(
    `${path}.name`,
    vpc?.name,
    CLIENT_NAME,
    "lowercase letters, digits and dashes, starting with a letter, at most 20 characters",
  );
  const accounts = config.sharing?.accounts ?? [];
  const account = accounts.find((a) => a?.accountId === vpc?.accountId);
  if (c.pattern(`${path}.accountId`, vpc?.accountId, ACCOUNT_ID, "a 12-digit AWS account id")) {
    if (serverless) {
      c.check(
        vpc.accountId === config.accountId,
        `${path}.accountId`,
        vpc.accountId,
        `must be the environment's account ${config.accountId}: MSK Serverless places its endpoints in subnets of its own account (other accounts need a provisioned cluster)`,
      );
    } else {
      c.check(
        vpc.accountId === config.accountId || account !== undefined,
        `${path}.accountId`,
        vpc.accountId,
        "is another account but not listed in sharing.accounts: list it there, so the cluster policy lets it create the VPC connection",
      );
    }
  }
  if (
    vpc?.region !== undefined &&
    c.pattern(`${path}.region`, vpc.region, REGION, 'an AWS region name such as "eu-west-1"')
  ) {
    c.check(
      vpc.region === config.region,
      `${path}.region`,
      vpc.region,
      `must be the cluster's region ${config.region}: multi-VPC private connectivity works within one region`,
    );
  }
  if (c.pattern(`${path}.vpcId`, vpc?.vpcId, VPC_ID, 'a VPC id such as "vpc-0123456789abcdef0"')) {
    const network = config.network;
    c.check(
      network?.mode !== "existing" || network.vpcId !== vpc.vpcId,
      `${path}.vpcId`,
      vpc.vpcId,
      "is the cluster's own VPC: admit its workloads with network.allowedSecurityGroupIds or the client security group",
    );
  }
  if (
    idList(c, `${path}.subnetIds`, vpc?.subnetIds, "subnet id", SUBNET_ID, "subnet-0123456789abcdef0", false)
  ) {
    c.check(
      vpc.subnetIds.length >= MULTI_VPC_LIMITS.minClientSubnets,
      `${path}.subnetIds`,
      vpc.subnetIds,
      `must list at least ${MULTI_VPC_LIMITS.minClientSubnets} subnets, in different AZs the cluster also uses`,
    );
  }
  if (c.oneOf(`${path}.auth`, vpc?.auth, AUTH_MODES)) {
    if (serverless) {
      c.check(
        vpc.auth === "iam",
        `${path}.auth`,
        vpc.auth,
        'must be "iam": MSK Serverless authenticates with IAM only',
      );
    } else if (
      c.check(
        enabled.has(vpc.auth),
        `${path}.auth`,
        vpc.auth,
        `is not enabled on the cluster: ${ENABLE_HINT[vpc.auth]}, or choose one of ${[...enabled].join(", ") || "(none)"}`,
      ) &&
      account !== undefined &&
      Array.isArray(account.auth) &&
      account.auth.every((mode) => AUTH_MODES.includes(mode))
    ) {
      c.check(
        account.auth.includes(vpc.auth),
        `${path}.auth`,
        vpc.auth,
        `is not in the auth of account ${vpc.accountId} (sharing.accounts[${accounts.indexOf(account)}].auth): add it there`,
      );
    }
  }
  if (vpc?.allowedSecurityGroupIds !== undefined) {
    idList(
      c,
      `${path}.allowedSecurityGroupIds`,
      vpc.allowedSecurityGroupIds,
      "security group id",
      SECURITY_GROUP_ID,
      "sg-0123456789abcdef0",
      true,
    );
  }
  if (vpc?.backend !== undefined) {
    if (
      c.check(
        !serverless,
        `${path}.backend`,
        vpc.backend,
        "is not used: a serverless cluster's client VPCs are part of the environment's own stack",
      )
    ) {
      validateBackendAt(c, `${path}.backend`, vpc.backend, config.production);
    }
  }
}

function validateClusterArn(c: Checker, config: EnvironmentConfig, arn: unknown): void {
  const path = "sharing.clusterArn";
  if (
    !c.check(
      config.cluster?.type !== "serverless",
      path,
      arn,
      "is for provisioned clusters: a serverless cluster takes its client VPCs when it is created, so remove it",
    )
  ) {
    return;
  }
  const match = CLUSTER_ARN.exec(typeof arn === "string" ? arn : "");
  if (
    !c.check(
      match !== null,
      path,
      arn,
      'must be the cluster ARN the first apply printed (output cluster_arn), e.g. "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-prod/<uuid>-3"',
    ) ||
    match === null
  ) {
    return;
  }
  // Judged against a sound identity only, so a wrong name or account is one error, not two.
  const identityOk =
    typeof config.name === "string" &&
    /^[a-z][a-z0-9-]{0,19}$/.test(config.name) &&
    ACCOUNT_ID.test(String(config.accountId)) &&
    isRegion(config.region) &&
    (config.project === undefined || /^[a-z][a-z0-9-]{1,19}$/.test(String(config.project)));
  if (identityOk) {
    const expectedName = `${config.project ?? DEFAULTS.project}-${config.name}`;
    const partition = partitionOf(config.region);
    c.check(
      `${match[1]}:${match[2]}:${match[3]}` === `${partition}:${config.region}:${config.accountId}` &&
        match[4] === expectedName,
      path,
      arn,
      `must be the ARN of this environment's cluster ${expectedName} (partition ${partition}, region ${config.region}, account ${config.accountId}): a new environment's cluster does not exist yet, so leave sharing.clusterArn out until its first apply prints cluster_arn`,
    );
  }
  const shares = (config.sharing?.accounts?.length ?? 0) + (config.sharing?.clientVpcs?.length ?? 0);
  c.check(
    shares > 0,
    path,
    arn,
    "turns multi-VPC connectivity on for nobody: list sharing.accounts or sharing.clientVpcs, or remove it",
  );
}

/** What the cluster itself must be before anything can be shared through multi-VPC connectivity. */
function validatePrerequisites(c: Checker, config: EnvironmentConfig, used: Set<SharedAuthMode>): void {
  const cluster = config.cluster;
  if (cluster?.type !== "provisioned") return;
  c.check(
    !(MULTI_VPC_LIMITS.unsupportedInstanceTypes as readonly string[]).includes(cluster.instanceType),
    "cluster.instanceType",
    cluster.instanceType,
    "cannot turn on multi-VPC private connectivity (sharing): use kafka.m5.large or larger, or remove sharing",
  );
  const auth = cluster.auth ?? { iam: true };
  const authenticated = (auth.iam ?? true) || auth.scram !== undefined || auth.mutualTls !== undefined;
  c.check(
    authenticated,
    "sharing",
    Object.keys(config.sharing ?? {}),
    "needs iam, scram or mutualTls on the cluster: multi-VPC private connectivity never serves unauthenticated clients",
  );
  if (used.has("scram") || used.has("tls")) {
    c.check(
      cluster.kafka?.serverProperties?.["allow.everyone.if.no.acl.found"] === "false",
      "sharing",
      [...used].filter((m) => m !== "iam"),
      'shares scram or tls clients, which need Kafka ACLs: set cluster.kafka.serverProperties["allow.everyone.if.no.acl.found"] to "false"',
    );
  }
}

/** Cross-account and multi-VPC access: accounts, client VPCs, the cluster ARN of step 2. */
export function validateSharing(c: Checker, config: EnvironmentConfig): void {
  if (config.tags !== undefined && config.tags !== null && typeof config.tags === "object") {
    c.check(
      !(CLIENT_VPC_TAG in config.tags),
      `tags.${CLIENT_VPC_TAG}`,
      CLIENT_VPC_TAG,
      "is set by the platform on client stacks (the plan review reads it): choose another key",
    );
  }
  const sharing = config.sharing;
  if (sharing === undefined) return;
  if (
    !c.check(
      typeof sharing === "object" && sharing !== null,
      "sharing",
      sharing,
      "must be an object with accounts and/or clientVpcs",
    )
  ) {
    return;
  }
  // With an unknown cluster type (already reported) nothing about sharing can be judged.
  const type = config.cluster?.type;
  if (type !== "provisioned" && type !== "serverless") return;
  const serverless = type === "serverless";
  const enabled = enabledSharedModes(config.cluster);
  const used = new Set<SharedAuthMode>();
  if (sharing.accounts !== undefined && c.list("sharing.accounts", sharing.accounts, "account", true)) {
    if (
      c.check(
        !serverless || sharing.accounts.length === 0,
        "sharing.accounts",
        sharing.accounts.map((a) => a?.accountId),
        "cannot be shared with a serverless cluster: other accounts connect through managed VPC connections of a provisioned cluster; share serverless with VPCs of its own account (sharing.clientVpcs)",
      )
    ) {
      sharing.accounts.forEach((account, i) => {
        validateAccount(c, config, account, i, enabled);
        // Only modes the cluster enables count: the others are already reported, once.
        for (const mode of Array.isArray(account?.auth) ? account.auth : [])
          if (enabled.has(mode)) used.add(mode);
      });
      c.unique(
        "sharing.accounts",
        sharing.accounts.map((a) => a?.accountId),
      );
    }
  }
  if (
    sharing.clientVpcs !== undefined &&
    c.list("sharing.clientVpcs", sharing.clientVpcs, "client VPC", true)
  ) {
    sharing.clientVpcs.forEach((vpc, i) => {
      validateClientVpc(c, config, vpc, i, enabled);
      if (enabled.has(vpc?.auth)) used.add(vpc.auth);
    });
    c.unique(
      "sharing.clientVpcs",
      sharing.clientVpcs.map((v) => v?.name),
    );
    if (serverless) {
      const max = MULTI_VPC_LIMITS.maxServerlessVpcs - 1;
      c.check(
        sharing.clientVpcs.length <= max,
        "sharing.clientVpcs",
        sharing.clientVpcs.length,
        `lists too many VPCs: MSK Serverless takes at most ${MULTI_VPC_LIMITS.maxServerlessVpcs} VPCs, its own and ${max} client VPCs`,
      );
    }
  }
  if (sharing.clusterArn !== undefined) validateClusterArn(c, config, sharing.clusterArn);
  const shares = (sharing.accounts?.length ?? 0) + (sharing.clientVpcs?.length ?? 0);
  if (shares > 0) validatePrerequisites(c, config, used);
}

/** A state object or stack name a client VPC claims, for the rules across environments. */
export interface SharingClaim {
  readonly kind: "name" | "state";
  readonly key: string;
  readonly path: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** The stack names and S3 state objects of an environment's client stacks (valid environments only). */
export function sharingClaims(config: EnvironmentConfig): SharingClaim[] {
  if (config.cluster?.type !== "provisioned") return [];
  return (config.sharing?.clientVpcs ?? []).flatMap((vpc, i): SharingClaim[] => {
    const stack = clientStackName(config.name, vpc.name);
    const claims: SharingClaim[] = [
      {
        kind: "name",
        key: stack,
        path: `sharing.clientVpcs[${i}].name`,
        value: vpc.name,
        allowed: `makes the stack "${stack}": stack names must be unique`,
      },
    ];
    const backend = clientBackendOf(config, vpc);
    if (backend.type === "s3") {
      claims.push({
        kind: "state",
        key: `${backend.bucket}/${backend.key}`,
        path: `sharing.clientVpcs[${i}].backend.key`,
        value: backend.key,
        allowed: "two stacks must never share a state object",
      });
    }
    return claims;
  });
}
