/** AWS SDK clients pointed at the emulator, shared by verification and the leftover inventory. */
import { type AwsClients, awsClients } from "../aws-clients";
import { EMULATOR_CREDENTIALS } from "./workspace";

export type EmulatorClients = AwsClients;

export function emulatorClients(endpoint: string, region: string): EmulatorClients {
  return awsClients({
    region,
    endpoint,
    credentials: {
      accessKeyId: EMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: EMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 2,
  });
}
