/** Naming rules of AWS and Kafka, each returning what is wrong (a phrase for the error) or undefined. */

const IPV4_FORM = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * S3 general purpose bucket naming rules (Amazon S3 user guide, "Bucket naming rules").
 * `allowDots` is false for buckets this project creates: dots break TLS for virtual-hosted requests.
 */
export function bucketNameProblem(name: unknown, allowDots: boolean): string | undefined {
  if (typeof name !== "string") return "must be a string";
  if (name.length < 3 || name.length > 63) return `must be 3-63 characters (it has ${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "must begin and end with a lowercase letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (IPV4_FORM.test(name)) return "must not be formatted as an IP address";
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  if (!allowDots && name.includes(".")) {
    return "must not contain dots (TLS certificates of virtual-hosted S3 requests do not cover them)";
  }
  return undefined;
}

const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;

/** A Kafka topic name: [a-zA-Z0-9._-], 1-249 characters, not "." or "..". */
export function topicNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || name.length === 0) return "must be a non-empty string";
  if (name.length > 249) return `must be at most 249 characters (it has ${name.length})`;
  if (!TOPIC_CHARS.test(name)) return "may contain only letters, digits, '.', '_' and '-'";
  if (name === "." || name === "..") return 'must not be "." or ".."';
  return undefined;
}

/** A topic or group pattern: a name of Kafka characters, optionally ending in one `*` wildcard. */
export function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== "string" || pattern.length === 0) return "must be a non-empty string";
  const stem = pattern.endsWith("*") ? pattern.slice(0, -1) : pattern;
  if (stem.length === 0) return 'must name a prefix before "*" (a bare "*" would grant every name)';
  if (stem.length > 249) return `must be at most 249 characters before the wildcard (it has ${stem.length})`;
  if (!TOPIC_CHARS.test(stem)) {
    return "may contain only letters, digits, '.', '_' and '-', with an optional single trailing '*'";
  }
  return undefined;
}

/** True when `name` is matched by a pattern with an optional trailing `*`. */
export function matchesPattern(name: string, pattern: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;

export function isEmail(value: unknown): boolean {
  return typeof value === "string" && value.length <= 254 && EMAIL.test(value);
}

/** AWS tag keys and values: letters, digits, spaces and _ . : / = + - @ (Tagging API, TagKey/TagValue). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function tagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > 128) return "tag keys must be 1-128 characters";
  if (key.toLowerCase().startsWith("aws:")) return 'tag keys must not start with the reserved "aws:"';
  if (!TAG_CHARS.test(key)) return "tag keys may contain only letters, digits, spaces and _ . : / = + - @";
  return undefined;
}

export function tagValueProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "tag values must be strings";
  if (value.length > 256) return "tag values must be at most 256 characters";
  if (!TAG_CHARS.test(value))
    return "tag values may contain only letters, digits, spaces and _ . : / = + - @";
  return undefined;
}
