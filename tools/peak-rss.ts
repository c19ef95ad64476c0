// Preloaded with `node -r` by the benchmark: reports the process's peak resident memory on exit.
process.on("exit", () => {
  process.stderr.write(`\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
