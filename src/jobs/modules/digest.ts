import type { JobsModuleFactory } from "./index.ts";

export const digestModule: JobsModuleFactory = () => ({});
