/** `npm run review -- <plan.json>...`: the plan review's command line (logic in tools/review/). */
import { main } from "./review/review";

process.exitCode = main(process.argv.slice(2));
