/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The long interrupted-deploy variants run with `npm run test:recovery`, not with `npm test`.
  testPathIgnorePatterns: ["/node_modules/", "recovery-long\\.test\\.ts$"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf records no stack trace for each token it creates, as in synth: under jest each one would also be
  // source-mapped, which was half of a suite's time. Only resolution error messages lose those lines.
  setupFiles: ["<rootDir>/test/support/no-creation-stacks.ts"],
  testTimeout: 30000,
  // One worker per core: the suites synthesize many stacks and run Terraform; 2 cores are both busy.
  maxWorkers: "100%",
};
