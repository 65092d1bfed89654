// The callback-data codec lives with the action definitions shared by the bot and the jobs (src/actions).
export * from "../actions/codec.ts";
