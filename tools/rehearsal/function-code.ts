/**
 * Deployment packages in S3 that the stack's functions name but the stack does not hold (a Lambda consumer's
 * code is published elsewhere). CreateFunction reads the object, and moto 5.2.1 refuses a key it does not hold
 * ("Error occurred while GetObject. S3 Error Code: NoSuchBucket"), as AWS does; the rehearsal puts a placeholder
 * package there first, so the function and its configuration are applied, verified by the second plan and
 * destroyed like everything else. The placeholder is never invoked (moto runs Lambda code only in Docker).
 */
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { storedZip } from "../../modules/topics/bundle";
import type { StackResource } from "./stack";

/** A package a function of the stack names by literal bucket and key. */
export interface FunctionCodeObject {
  readonly address: string;
  readonly bucket: string;
  readonly key: string;
}

const literal = (value: unknown): string | undefined =>
  typeof value === "string" && !value.includes("${") ? value : undefined;

/** Packages outside the stack: literal s3_bucket/s3_key of functions, in bucket-key order. */
export function functionCodeObjects(resources: readonly StackResource[]): FunctionCodeObject[] {
  const stackBuckets = new Set(
    resources.filter((r) => r.type === "aws_s3_bucket").map((r) => literal(r.config.bucket)),
  );
  return resources
    .filter((r) => r.type === "aws_lambda_function")
    .flatMap((r) => {
      const bucket = literal(r.config.s3_bucket);
      const key = literal(r.config.s3_key);
      if (bucket === undefined || key === undefined || stackBuckets.has(bucket)) return [];
      return [{ address: r.address, bucket, key }];
    })
    .sort((a, b) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`));
}

/** Puts a placeholder package at each location (creating its bucket); returns "s3://bucket/key (address)". */
export async function seedFunctionCode(
  s3: S3Client,
  objects: readonly FunctionCodeObject[],
  region: string,
): Promise<string[]> {
  const body = storedZip("README.txt", Buffer.from("Placeholder package of the deploy rehearsal.\n"));
  for (const bucket of new Set(objects.map((o) => o.bucket))) {
    const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region === "us-east-1"
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    }
  }
  for (const o of objects) {
    await s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: body }));
  }
  return objects.map((o) => `s3://${o.bucket}/${o.key} (${o.address})`);
}
