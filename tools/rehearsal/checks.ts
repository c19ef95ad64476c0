/**
 * What the API verifiers share: the applied resource as they see it, the checker that records
 * comparisons, and IAM-aware comparison of policy documents and tags.
 */
import type { EmulatorClients } from "./clients";

/** An applied resource as verifiers see it. */
export interface Applied {
  readonly address: string;
  readonly type: string;
  /** The synthesized config with references resolved: what was intended. */
  readonly intended: Record<string, unknown>;
  /** The applied state's values: used to locate the resource (id, arn), not as expectations. */
  readonly state: Record<string, unknown>;
}

/** Collects checks and mismatches. */
export class Checker {
  checked = 0;
  readonly failures: string[] = [];

  /** Deep equality of the intended and the found value (object keys in any order). */
  equal(address: string, attribute: string, intended: unknown, actual: unknown): void {
    this.checked++;
    if (canonical(intended) !== canonical(actual)) {
      this.failures.push(`${address}: ${attribute}: intended ${show(intended)}, found ${show(actual)}`);
    }
  }

  /** Equality of two lists regardless of order (duplicates count). */
  sameItems(
    address: string,
    attribute: string,
    intended: readonly unknown[],
    actual: readonly unknown[],
  ): void {
    const text = (item: unknown) => (typeof item === "string" ? item : canonical(item));
    const want = intended.map(text).sort();
    const got = actual.map(text).sort();
    this.checked++;
    if (canonical(want) !== canonical(got)) {
      const unmatched = (items: string[], others: string[]) => {
        const pool = [...others];
        return items.filter((item) => {
          const at = pool.indexOf(item);
          if (at >= 0) pool.splice(at, 1);
          return at < 0;
        });
      };
      const list = (items: string[]) => (items.length ? `[${items.join(" | ")}]` : "nothing");
      this.failures.push(
        `${address}: ${attribute}: missing ${list(unmatched(want, got))}; unexpected ${list(unmatched(got, want))}`,
      );
    }
  }

  /** Policy documents compared as IAM reads them (see canonicalPolicy). */
  samePolicy(address: string, attribute: string, intended: unknown, actual: unknown): void {
    this.equal(address, attribute, canonicalPolicy(intended), canonicalPolicy(actual));
  }

  fail(address: string, message: string): void {
    this.checked++;
    this.failures.push(`${address}: ${message}`);
  }
}

export interface VerifyContext {
  readonly clients: EmulatorClients;
  /** Every applied resource, for checks that span resources (rule sets, routes, associations). */
  readonly applied: readonly Applied[];
  /** The provider's default_tags, which every taggable resource must carry. */
  readonly defaultTags: Readonly<Record<string, string>>;
  readonly check: Checker;
}

/** Verifies one applied resource of one type. */
export type Verifier = (resource: Applied, context: VerifyContext) => Promise<void>;

function canonical(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sortKeys(value)) ?? "undefined";
}

function show(value: unknown): string {
  const text = canonical(value);
  return text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

const asSortedList = (value: unknown): unknown[] =>
  (Array.isArray(value) ? [...value] : [value]).map((v) => (typeof v === "string" ? v : canonical(v))).sort();

/**
 * A policy document as IAM evaluates it: Statement always a list; Action/Resource/Principal values and
 * condition values as sorted lists (IAM treats them as sets and accepts a single string for a list).
 * Accepts JSON text, URL-encoded JSON text (IAM's GetRole) or a parsed object.
 */
export function canonicalPolicy(policy: unknown): unknown {
  if (policy === undefined || policy === null || policy === "") return null;
  let document = policy;
  if (typeof policy === "string") {
    const text = policy.trim().startsWith("%7B") ? decodeURIComponent(policy) : policy;
    document = JSON.parse(text);
  }
  const doc = document as { Version?: string; Id?: string; Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return {
    Version: doc.Version,
    Id: doc.Id,
    Statement: (statements as Record<string, unknown>[]).map((statement) => {
      const normalized: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(statement)) {
        if (["Action", "NotAction", "Resource", "NotResource"].includes(key)) {
          normalized[key] = asSortedList(value);
        } else if ((key === "Principal" || key === "NotPrincipal") && value !== "*") {
          normalized[key] = Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asSortedList(v)]),
          );
        } else if (key === "Condition") {
          normalized[key] = Object.fromEntries(
            Object.entries(value as Record<string, Record<string, unknown>>).map(([operator, entries]) => [
              operator,
              Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, asSortedList(v)])),
            ]),
          );
        } else {
          normalized[key] = value;
        }
      }
      return normalized;
    }),
  };
}

/** The tags a taggable resource must carry: default_tags plus its own (its own win). */
export function intendedTags(
  resource: Applied,
  defaultTags: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...defaultTags, ...((resource.intended.tags as Record<string, string> | undefined) ?? {}) };
}

/** Compares tags as found (AWS-reserved `aws:` tags aside) with the intended ones, for taggable types. */
export function checkTags(
  resource: Applied,
  context: VerifyContext,
  found: readonly { Key?: string; Value?: string }[] | Record<string, string> | undefined,
): void {
  if (!("tags_all" in resource.state)) return;
  const actual = Array.isArray(found)
    ? Object.fromEntries(found.map((t) => [t.Key ?? "", t.Value ?? ""]))
    : { ...(found ?? {}) };
  for (const key of Object.keys(actual)) if (key.startsWith("aws:")) delete actual[key];
  context.check.equal(resource.address, "tags", intendedTags(resource, context.defaultTags), actual);
}

/** The error name of an AWS SDK error (e.g. "NoSuchBucket"), or undefined. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
