import { cidrsOverlap, type Ipv4Cidr, parseCidr, SUBNET_NEWBITS } from "../../modules/network/cidr";
import type { EnvironmentConfig, ExistingVpcConfig, NewVpcConfig } from "../config";
import {
  AVAILABILITY_ZONE_LETTERS,
  AVAILABILITY_ZONES_AS_OF,
  isExpressBroker,
  TWO_SUBNET_REGIONS,
} from "./aws-limits";
import type { Checker } from "./checker";
import { isRegion } from "./common";

const CIDR_SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const AZ_NAME = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ROUTE_TABLE_ID = /^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/;
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
/** This-network, loopback, link-local, multicast and reserved space: never a VPC or client range. */
const SPECIAL_RANGES = ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"];
/** AWS reserves five addresses in every subnet. */
const AWS_RESERVED_PER_SUBNET = 5;

/** Parses a CIDR, recording why it is not one (with the corrected form when only host bits are wrong). */
function checkCidr(c: Checker, path: string, value: unknown): Ipv4Cidr | undefined {
  const example = 'must be an IPv4 CIDR such as "10.20.0.0/16"';
  if (!c.check(typeof value === "string", path, value, example)) return undefined;
  const cidr = value as string;
  const match = CIDR_SHAPE.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  if (
    !c.check(match !== null && octets.every((o) => o <= 255) && Number(match[5]) <= 32, path, cidr, example)
  ) {
    return undefined;
  }
  const parsed = parseCidr(cidr);
  if (parsed) return parsed;
  const prefix = Number(match?.[5]);
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = (base & (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
  const canonical = `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${prefix}`;
  c.check(false, path, cidr, `has host bits set: write the network address "${canonical}"`);
  return undefined;
}

function isSpecialRange(cidr: string): boolean {
  return SPECIAL_RANGES.some((range) => cidrsOverlap(cidr, range));
}

/** Brokers (one ENI each) and Connect workers share the private subnets; both need addresses. */
function addressesNeededPerAz(config: EnvironmentConfig, azCount: number): number | undefined {
  const cluster = config.cluster;
  const brokers = cluster?.type === "provisioned" ? cluster.brokersPerAz : 0;
  const workers = config.connect?.connector?.capacity?.maxWorkers ?? 0;
  if (!Number.isInteger(brokers) || !Number.isInteger(workers) || brokers < 0 || workers < 0)
    return undefined;
  return brokers + Math.ceil(workers / azCount);
}

/** AZ names, count (2-3, exactly 3 in production), distinctness and region. */
function validateAvailabilityZones(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  azs: readonly unknown[],
  azPath: (i: number) => string,
): boolean {
  const required = config.production ? "exactly 3" : "2 or 3";
  let ok = c.check(
    azs.length >= (config.production ? 3 : 2) && azs.length <= 3,
    path,
    azs,
    `must list ${required} availability zones${config.production ? " in a production environment" : ""}`,
  );
  const wellFormed = azs.map((az, i) =>
    c.pattern(azPath(i), az, AZ_NAME, 'an availability zone name such as "eu-west-1a"'),
  );
  if (!wellFormed.every(Boolean)) return false;
  ok = c.check(new Set(azs).size === azs.length, path, azs, "availability zones must be distinct") && ok;
  if (isRegion(config.region)) {
    const region = config.region;
    const inRegion = c.check(
      azs.every((az) => typeof az === "string" && az.slice(0, -1) === region),
      path,
      azs,
      `every availability zone must be in the region ${region}, e.g. "${region}a"`,
    );
    ok = inRegion && ok;
    if (inRegion) ok = checkZoneLetters(c, region, path, azs as readonly string[], azPath) && ok;
    if (inRegion && TWO_SUBNET_REGIONS.includes(region))
      ok = checkTwoSubnetRegion(c, config, region, path, azs) && ok;
  }
  return ok;
}

/** Every AZ name exists in the Region (dated offline table; an unknown Region is only a warning). */
function checkZoneLetters(
  c: Checker,
  region: string,
  path: string,
  azs: readonly string[],
  azPath: (i: number) => string,
): boolean {
  const letters = AVAILABILITY_ZONE_LETTERS[region];
  if (letters === undefined) {
    c.warn(
      "region-not-in-table",
      "region",
      region,
      `is not in the availability-zone table of ${AVAILABILITY_ZONES_AS_OF} (stacks/validation/aws-limits.ts), so ${path} was not checked against it: add the Region there`,
    );
    return true;
  }
  const names = [...letters].map((l) => `${region}${l}`);
  return azs
    .map((az, i) =>
      c.check(
        letters.includes(az.slice(-1)),
        azPath(i),
        az,
        `is not an availability zone of ${region}, which has ${names.join(", ")} (table of ${AVAILABILITY_ZONES_AS_OF})`,
      ),
    )
    .every(Boolean);
}

/** MSK Standard brokers in us-west-1 take exactly two client subnets. */
function checkTwoSubnetRegion(
  c: Checker,
  config: EnvironmentConfig,
  region: string,
  path: string,
  azs: readonly unknown[],
): boolean {
  const cluster = config.cluster;
  if (cluster?.type !== "provisioned" || isExpressBroker(String(cluster.instanceType))) return true;
  return c.check(
    azs.length === 2,
    path,
    azs,
    `must list exactly 2 availability zones in ${region}: MSK Standard brokers there take exactly two subnets${config.production ? " (a production environment needs 3 AZs, so it cannot run in this Region)" : ""}`,
  );
}

function validateCreatedVpc(c: Checker, config: EnvironmentConfig, network: NewVpcConfig): void {
  const vpc = checkCidr(c, "network.cidr", network.cidr);
  const sizeOk =
    vpc !== undefined &&
    c.check(
      vpc.prefix >= 16 && vpc.prefix <= 24,
      "network.cidr",
      network.cidr,
      "must be a /16 to /24 (the VPC is cut into 16 subnet blocks)",
    ) &&
    c.check(
      !isSpecialRange(network.cidr),
      "network.cidr",
      network.cidr,
      "must not overlap loopback, link-local, multicast or reserved space: use a private range such as 10.0.0.0/8",
    );
  const azsOk =
    c.list("network.availabilityZones", network.availabilityZones, "availability zone") &&
    validateAvailabilityZones(
      c,
      config,
      "network.availabilityZones",
      network.availabilityZones,
      (i) => `network.availabilityZones[${i}]`,
    );
  if (network.natGateways !== undefined) {
    c.oneOf("network.natGateways", network.natGateways, ["none", "single", "per-az"]);
  }
  if (network.flowLogRetentionDays !== undefined) {
    c.retentionDays("network.flowLogRetentionDays", network.flowLogRetentionDays);
  }
  if (sizeOk && azsOk && vpc) {
    const azCount = network.availabilityZones.length;
    const subnetPrefix = vpc.prefix + SUBNET_NEWBITS;
    const usable = 2 ** (32 - subnetPrefix) - AWS_RESERVED_PER_SUBNET;
    const needed = addressesNeededPerAz(config, azCount);
    if (needed !== undefined) {
      c.check(
        needed <= usable,
        "network.cidr",
        network.cidr,
        `gives /${subnetPrefix} private subnets with ${usable} usable addresses, fewer than the ${needed} each AZ needs (brokers plus Connect workers): use a larger CIDR such as /${Math.max(16, vpc.prefix - 2)}`,
      );
    }
  }
}

function validateExistingVpc(c: Checker, config: EnvironmentConfig, network: ExistingVpcConfig): void {
  c.pattern("network.vpcId", network.vpcId, VPC_ID, 'a VPC id such as "vpc-0123456789abcdef0"');
  const vpc = checkCidr(c, "network.cidr", network.cidr);
  if (vpc) {
    c.check(
      vpc.prefix >= 16 && vpc.prefix <= 28,
      "network.cidr",
      network.cidr,
      "must be a /16 to /28 (AWS VPC sizes)",
    );
  }
  if (!c.list("network.privateSubnets", network.privateSubnets, "private subnet")) return;
  const subnets = network.privateSubnets;
  const idsOk = subnets
    .map((subnet, i) =>
      c.pattern(
        `network.privateSubnets[${i}].id`,
        subnet?.id,
        SUBNET_ID,
        'a subnet id such as "subnet-0123456789abcdef0"',
      ),
    )
    .every(Boolean);
  if (idsOk) {
    c.unique(
      "network.privateSubnets",
      subnets.map((s) => s.id),
    );
  }
  validateAvailabilityZones(
    c,
    config,
    "network.privateSubnets",
    subnets.map((s) => s?.availabilityZone),
    (i) => `network.privateSubnets[${i}].availabilityZone`,
  );
  if (
    network.privateRouteTableIds !== undefined &&
    c.list("network.privateRouteTableIds", network.privateRouteTableIds, "route table id", true)
  ) {
    const tablesOk = network.privateRouteTableIds
      .map((id, i) =>
        c.pattern(
          `network.privateRouteTableIds[${i}]`,
          id,
          ROUTE_TABLE_ID,
          'a route table id such as "rtb-0123456789abcdef0"',
        ),
      )
      .every(Boolean);
    if (tablesOk) c.unique("network.privateRouteTableIds", network.privateRouteTableIds);
  }
  if (network.s3PrefixListId !== undefined) {
    c.pattern(
      "network.s3PrefixListId",
      network.s3PrefixListId,
      PREFIX_LIST_ID,
      'the id of the S3 prefix list of a gateway endpoint, such as "pl-6ea54007"',
    );
  }
}

/** Extra client ranges: real, narrow, not the internet, not overlapping each other. */
function validateClientCidrs(c: Checker, clientCidrs: unknown): void {
  if (clientCidrs === undefined || !c.list("network.clientCidrs", clientCidrs, "CIDR", true)) return;
  const valid: { cidr: string; index: number }[] = [];
  clientCidrs.forEach((cidr, i) => {
    const path = `network.clientCidrs[${i}]`;
    const internet = cidr === "0.0.0.0/0" || cidr === "::/0";
    if (
      !c.check(
        !internet,
        path,
        cidr,
        "must never be the internet (0.0.0.0/0 or ::/0): list the client ranges that need the brokers",
      )
    ) {
      return;
    }
    const parsed = checkCidr(c, path, cidr);
    if (!parsed) return;
    const ok =
      c.check(
        parsed.prefix >= 8,
        path,
        cidr,
        "must be /8 or narrower: list the client ranges that need the brokers",
      ) &&
      c.check(
        !isSpecialRange(cidr as string),
        path,
        cidr,
        "must not be a loopback, link-local, multicast or reserved range",
      );
    if (!ok) return;
    const overlap = valid.find((earlier) => cidrsOverlap(earlier.cidr, cidr as string));
    if (
      c.check(
        overlap === undefined,
        path,
        cidr,
        `overlaps network.clientCidrs[${overlap?.index}] (${overlap?.cidr}): list each range once`,
      )
    ) {
      valid.push({ cidr: cidr as string, index: i });
    }
  });
}

/** VPC mode, CIDRs, AZs, subnets and client CIDRs. */
export function validateNetwork(c: Checker, config: EnvironmentConfig): void {
  const network = config.network;
  if (!c.oneOf("network.mode", network?.mode, ["create", "existing"])) return;
  if (network.mode === "create") validateCreatedVpc(c, config, network);
  else validateExistingVpc(c, config, network);
  validateClientCidrs(c, network.clientCidrs);
}
