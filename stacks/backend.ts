import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { BackendConfig } from "./config";

/** Where a stack's state goes when the backend leaves key, path or region out. */
export interface BackendDefaults {
  /** S3 object key, e.g. "msk-platform/prod/terraform.tfstate". */
  readonly key: string;
  /** Local state path relative to cdktf.out/stacks/<stack>/ (the project root, outside the synth output). */
  readonly path: string;
  /** Region of the state bucket. */
  readonly region: string;
}

/** S3 (always encrypted, S3-native lock file) or local state for one stack. */
export function configureBackend(
  stack: TerraformStack,
  backend: BackendConfig,
  defaults: BackendDefaults,
): void {
  if (backend.type === "local") {
    new LocalBackend(stack, { path: backend.path ?? defaults.path });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key ?? defaults.key,
    region: backend.region ?? defaults.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
  });
  // S3-native state locking (Terraform >= 1.10); the binding predates the argument.
  s3.addOverride("use_lockfile", true);
}
