// Jest setup file (jest.config.js): cdktf records no token creation stacks in the suites (stacks/creation-stacks.ts).
import { stopRecordingTokenCreationStacks } from "../../stacks/creation-stacks";

stopRecordingTokenCreationStacks();
