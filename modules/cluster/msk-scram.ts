import { MskScramSecretAssociation } from "@cdktf/provider-aws/lib/msk-scram-secret-association";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { Construct } from "constructs";
import { policyDocument } from "../common/iam";
import { CustomerKey } from "../common/kms-key";

/** Characters MSK and Secrets Manager both accept in the user part of a secret name. */
const SCRAM_USER = /^[A-Za-z0-9._-]{1,64}$/;

export interface MskScramUsersProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** AWS account of the cluster. */
  readonly accountId: string;
  /** Region of the cluster (Secrets Manager's endpoint in the key policy). */
  readonly region: string;
  /** AWS partition ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** ARN of the provisioned cluster with SASL/SCRAM enabled. */
  readonly clusterArn: string;
  /** SCRAM user names; one secret `AmazonMSK_<prefix>_<user>` each. */
  readonly users: readonly string[];
  /** Users whose secret already holds a value and is associated with the cluster (subset of users). */
  readonly associatedUsers: readonly string[];
  /** prevent_destroy on the secrets and their key, and the longest recovery window. */
  readonly protect: boolean;
}

/** Name of a user's SCRAM secret; MSK only accepts secrets whose name starts with `AmazonMSK_`. */
export function scramSecretName(prefix: string, user: string): string {
  return `AmazonMSK_${prefix}_${user}`;
}

/**
 * SASL/SCRAM users: one Secrets Manager secret per user, encrypted with this module's customer key
 * (MSK refuses secrets under the AWS-managed key), readable by MSK, and associated with the cluster.
 *
 * Terraform creates each secret without a value and never writes one, so no password ever reaches the
 * synthesized JSON or the state. An operator (or a rotation function) puts `{"username","password"}`;
 * only then is the user listed in `associatedUsers`, because MSK refuses to associate an empty secret.
 */
export class MskScramUsers extends Construct {
  /** The key that encrypts the SCRAM secrets. */
  readonly key: CustomerKey;
  /** Secret ARN per user. */
  readonly secretArns: Readonly<Record<string, string>>;
  /** The authoritative association, absent while no user is associated. */
  readonly association?: MskScramSecretAssociation;

  constructor(scope: Construct, id: string, props: MskScramUsersProps) {
    super(scope, id);
    if (props.users.length === 0) throw new Error("users must list at least one SCRAM user, got []");
    for (const user of props.users) {
      if (!SCRAM_USER.test(user)) {
        throw new Error(`users: got "${user}"; must be 1-64 letters, digits, ".", "_" or "-"`);
      }
    }
    if (new Set(props.users).size !== props.users.length) {
      throw new Error(`users must be unique, got ${JSON.stringify(props.users)}`);
    }
    const unknown = props.associatedUsers.filter((user) => !props.users.includes(user));
    if (unknown.length > 0) {
      throw new Error(`associatedUsers must be listed in users, got unknown ${JSON.stringify(unknown)}`);
    }

    const secretsManager = `secretsmanager.${props.region}.amazonaws.com`;
    this.key = new CustomerKey(this, "key", {
      description: `SASL/SCRAM secrets of ${props.prefix}`,
      alias: `${props.prefix}/msk-scram`,
      accountId: props.accountId,
      partition: props.partition,
      protect: props.protect,
      serviceStatements: [
        {
          Sid: "SecretsManagerUseForThisAccount",
          Effect: "Allow",
          Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
          Action: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:CreateGrant",
            "kms:DescribeKey",
          ],
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": secretsManager } },
        },
        {
          Sid: "MskReadsScramSecrets",
          Effect: "Allow",
          Principal: { Service: "kafka.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": secretsManager } },
        },
      ],
    });

    const secretArns: Record<string, string> = {};
    const secretPolicies: SecretsmanagerSecretPolicy[] = [];
    for (const user of props.users) {
      const secret = new SecretsmanagerSecret(this, `secret-${user}`, {
        name: scramSecretName(props.prefix, user),
        description: `SASL/SCRAM credentials of Kafka user ${user} on ${props.prefix}; value {"username","password"} is put outside Terraform`,
        kmsKeyId: this.key.arn,
        recoveryWindowInDays: props.protect ? 30 : 7,
        lifecycle: { preventDestroy: props.protect },
      });
      // The exact policy MSK attaches on association: declaring it keeps plans free of drift.
      const secretPolicy = new SecretsmanagerSecretPolicy(this, `secret-policy-${user}`, {
        secretArn: secret.arn,
        policy: policyDocument({
          Sid: "AWSKafkaResourcePolicy",
          Effect: "Allow",
          Principal: { Service: "kafka.amazonaws.com" },
          Action: "secretsmanager:getSecretValue",
          Resource: secret.arn,
        }),
        blockPublicPolicy: true,
      });
      secretPolicies.push(secretPolicy);
      secretArns[user] = secret.arn;
    }
    this.secretArns = secretArns;

    if (props.associatedUsers.length > 0) {
      // Authoritative: a secret associated by hand outside this list is removed on the next apply.
      this.association = new MskScramSecretAssociation(this, "association", {
        clusterArn: props.clusterArn,
        secretArnList: props.associatedUsers.map((user) => secretArns[user]),
        dependsOn: secretPolicies,
      });
    }
  }
}
