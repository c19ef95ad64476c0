#!/usr/bin/env node
// The npm registry these machines reach serves only the linux-x64 builds of packages that ship native
// binaries as optional platform packages (@swc/core, Biome, jest's resolver). npm then leaves the other
// platforms out of package-lock.json, and `npm ci` refuses the lock as out of sync. This adds the missing
// optional entries with their os/cpu/libc (read from the package name), so npm ci skips them everywhere
// they do not apply. Run after any `npm install` that adds such a package: `node tools/complete-lockfile.js`.
const fs = require("node:fs");
const path = require("node:path");

const file = path.join(__dirname, "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const OSES = ["darwin", "linux", "win32", "android", "freebsd", "openharmony", "sunos", "aix", "netbsd", "openbsd"];
const CPUS = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64", "wasm32"];

function platformOf(name) {
  const base = name.split("/").pop();
  const parts = base.split("-");
  const os = OSES.find((o) => parts.includes(o));
  const cpu = CPUS.find((c) => parts.includes(c));
  const libc = base.includes("musl") ? "musl" : os === "linux" && base.includes("gnu") ? "glibc" : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const meta of Object.values(lock.packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) throw new Error(`cannot tell the platform of optional dependency ${dep}; add it by hand`);
    lock.packages[key] = {
      version,
      optional: true,
      ...(os && { os: [os] }),
      ...(cpu && { cpu: [cpu] }),
      ...(libc && { libc: [libc] }),
    };
    added++;
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform entr${added === 1 ? "y" : "ies"}`);
