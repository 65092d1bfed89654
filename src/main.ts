// `npm start`: every role in one process, on embedded defaults when nothing is configured.
import { serveCommand } from "./cli/serve.ts";

process.exitCode = await serveCommand(["--role", process.env.ROLE ?? "all"]);
