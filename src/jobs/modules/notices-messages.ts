import type { JobsModuleFactory } from "./index.ts";

export const notesModule: JobsModuleFactory = () => ({});
