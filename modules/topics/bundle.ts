/**
 * Builds the topic manager Lambda from this repository's TypeScript (modules/topics/handler/) into one
 * deterministic zip at synth: esbuild bundles the handler with the pinned @aws-sdk/client-kafka into a
 * single index.js, stored (not compressed) in a zip with fixed timestamps and permissions, so the same
 * sources always give the same bytes, the same source_code_hash and no plan diff.
 *
 * Synth is part of every edit loop, so the result is cached under .build/topic-manager/ by content: the
 * cache holds the hash of every file esbuild read (its metafile), and is used only while all of them,
 * the esbuild version and the build options are unchanged. A file whose size and modification time are
 * as recorded is not read again; any other is hashed and compared. Within one process (one synth, one test
 * file) the files are checked once per cache folder and manifest: a synth of many environments builds the
 * topic manager of each from the same package.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";

/** A built Lambda deployment package. */
export interface LambdaBundle {
  /** Absolute path of the zip. */
  readonly zipFile: string;
  /** base64(sha256(zip)): the function's source_code_hash. */
  readonly sha256Base64: string;
  /** Hex sha256 of the zip, for asset folder names. */
  readonly sha256Hex: string;
  /** Whether this synth reused the cached build. */
  readonly cached: boolean;
}

/** One file esbuild read: its content hash, and the size and mtime it had when hashed. */
interface InputRecord {
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
}

interface Manifest {
  readonly key: string;
  readonly inputs: Readonly<Record<string, InputRecord>>;
  readonly sha256Hex: string;
}

/** The repository root: the closest folder above this module with a package.json (dist/ has none). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A zip holding one file, stored uncompressed: deflate output can differ between zlib builds (and so
 * between Node versions), stored bytes cannot. Timestamp 1980-01-01 00:00, mode 0644.
 */
export function storedZip(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, "utf8");
  const crc = crc32(content);
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed: 1.0 (stored)
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(0, 8); // method: stored
  local.writeUInt16LE(0, 10); // time 00:00
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0 (so the mode below applies)
  central.writeUInt16LE(10, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
  central.writeUInt32LE(0, 42); // offset of the local header
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + content.length, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

/** Writes atomically: parallel synths (jest workers) never see a half-written file. */
function writeAtomically(file: string, data: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function parseManifest(text: string | undefined): Manifest | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as Manifest);
  } catch {
    return undefined;
  }
}

/** Cache folders whose inputs this process has checked, with the manifest they matched and the result. */
const checkedThisProcess = new Map<
  string,
  { readonly manifestText: string; readonly bundle: LambdaBundle }
>();

function inputRecord(file: string): InputRecord {
  const stat = statSync(file);
  return { sha256: sha256(readFileSync(file)).toString("hex"), size: stat.size, mtimeMs: stat.mtimeMs };
}

function inputsUnchanged(root: string, manifest: Manifest): boolean {
  return Object.entries(manifest.inputs).every(([file, recorded]) => {
    try {
      const stat = statSync(join(root, file));
      if (stat.size === recorded.size && stat.mtimeMs === recorded.mtimeMs) return true;
      return inputRecord(join(root, file)).sha256 === recorded.sha256;
    } catch {
      return false;
    }
  });
}

/** The installed esbuild's version, without loading esbuild (a synth that hits the cache never needs it). */
function esbuildVersion(root: string): string {
  const manifest = join(root, "node_modules", "esbuild", "package.json");
  return existsSync(manifest)
    ? String((JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version)
    : "missing";
}

/** File name of the package inside its asset folder. */
export const BUNDLE_FILE_NAME = "topic-manager.zip";

/** Builds (or reuses) the topic manager's deployment package. */
export function topicManagerBundle(cacheDir?: string): LambdaBundle {
  const root = repositoryRoot();
  const cache = cacheDir ?? join(root, ".build", "topic-manager");
  const options = {
    entryPoints: [join("modules", "topics", "handler", "index.ts")] as string[],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    keepNames: true,
    legalComments: "none",
    charset: "utf8",
  } as const;
  const key = sha256(JSON.stringify({ esbuild: esbuildVersion(root), options })).toString("hex");
  const manifestFile = join(cache, "manifest.json");
  const manifestText = readText(manifestFile);
  const checked = checkedThisProcess.get(cache);
  if (checked !== undefined && checked.manifestText === manifestText && existsSync(checked.bundle.zipFile))
    return checked.bundle;
  const manifest = parseManifest(manifestText);
  if (manifestText !== undefined && manifest?.key === key && inputsUnchanged(root, manifest)) {
    const zipFile = join(cache, manifest.sha256Hex, BUNDLE_FILE_NAME);
    if (existsSync(zipFile)) {
      const digest = sha256(readFileSync(zipFile));
      if (digest.toString("hex") === manifest.sha256Hex) {
        const bundle = {
          zipFile,
          sha256Base64: digest.toString("base64"),
          sha256Hex: manifest.sha256Hex,
          cached: true,
        };
        checkedThisProcess.set(cache, { manifestText, bundle });
        return bundle;
      }
    }
  }
  // Loaded only on a cache miss.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const result = esbuild.buildSync({
    ...options,
    absWorkingDir: root,
    outfile: "index.js",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = result.outputFiles?.[0];
  if (output === undefined || result.metafile === undefined) throw new Error("esbuild produced no bundle");
  const code = Buffer.from(output.contents);
  const zip = storedZip("index.js", code);
  const digest = sha256(zip);
  const sha256Hex = digest.toString("hex");
  const zipFile = join(cache, sha256Hex, BUNDLE_FILE_NAME);
  writeAtomically(zipFile, zip);
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .sort()
      .map((file) => [file.split(sep).join("/"), inputRecord(join(root, file))]),
  );
  writeAtomically(
    manifestFile,
    `${JSON.stringify({ key, inputs, sha256Hex } satisfies Manifest, null, 2)}\n`,
  );
  return { zipFile, sha256Base64: digest.toString("base64"), sha256Hex, cached: false };
}
