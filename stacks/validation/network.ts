import { parseCidr } from "../../modules/cidr";
import type { EnvironmentConfig } from "../config";
import { availabilityZonesOf } from "../defaults";
import type { Checker } from "./checker";

/** VPC mode, CIDRs, AZs and client CIDRs. */
export function validateNetwork(c: Checker, config: EnvironmentConfig): void {
  const network = config.network;
  if (!c.oneOf("network.mode", network?.mode, ["create", "existing"])) return;
  const cidrOk = c.check(
    parseCidr(network.cidr) !== undefined,
    "network.cidr",
    network.cidr,
    'must be an IPv4 CIDR with no host bits set, e.g. "10.20.0.0/16"',
  );
  if (cidrOk && network.mode === "create") {
    const prefix = parseCidr(network.cidr)?.prefix ?? 0;
    c.check(
      prefix >= 16 && prefix <= 24,
      "network.cidr",
      network.cidr,
      "must be a /16 to /24 (the VPC is cut into 16 subnet blocks)",
    );
  }
  const azs = availabilityZonesOf(config);
  const azPath = network.mode === "create" ? "network.availabilityZones" : "network.privateSubnets";
  const minAzs = config.production ? 3 : 2;
  c.check(
    azs.length >= minAzs && azs.length <= 3,
    azPath,
    azs.length,
    `must list ${minAzs === 3 ? "exactly 3" : "2 or 3"} availability zones${config.production ? " in a production environment" : ""}`,
  );
  c.check(new Set(azs).size === azs.length, azPath, azs, "availability zones must be distinct");
  azs.forEach((az, i) => {
    c.check(
      typeof az === "string" &&
        az.startsWith(config.region) &&
        /^[a-z]$/.test(az.slice(config.region.length)),
      `${azPath}[${i}]`,
      az,
      `must be an AZ of region ${config.region}, e.g. "${config.region}a"`,
    );
  });
  (network.clientCidrs ?? []).forEach((cidr, i) => {
    const path = `network.clientCidrs[${i}]`;
    if (c.check(parseCidr(cidr) !== undefined, path, cidr, "must be an IPv4 CIDR with no host bits set")) {
      // The brokers are never reachable from the internet: 0.0.0.0/0 and other huge ranges are refused.
      c.check(
        (parseCidr(cidr)?.prefix ?? 0) >= 8,
        path,
        cidr,
        "must be /8 or narrower (never 0.0.0.0/0): list the client ranges that need the brokers",
      );
    }
  });
}
