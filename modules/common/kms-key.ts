import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "./iam";

export interface CustomerKeyProps {
  /** What the key protects, shown in the console. */
  readonly description: string;
  /** Alias without the "alias/" prefix, e.g. "msk-platform-dev/msk". */
  readonly alias: string;
  readonly accountId: string;
  readonly partition: string;
  /** Service statements added to the key policy (the account root always administers the key). @default [] */
  readonly serviceStatements?: readonly PolicyStatement[];
  /** prevent_destroy and the longest deletion window. */
  readonly protect: boolean;
}

/** A customer-managed KMS key with rotation on and an explicit key policy (CKV_AWS_7, CKV2_AWS_64). */
export class CustomerKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    const root = `arn:${props.partition}:iam::${props.accountId}:root`;
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.protect ? 30 : 7,
      policy: policyDocument(
        {
          Sid: "AccountAdministers",
          Effect: "Allow",
          Principal: { AWS: root },
          Action: "kms:*",
          Resource: "*",
        },
        ...(props.serviceStatements ?? []),
      ),
      lifecycle: { preventDestroy: props.protect },
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
