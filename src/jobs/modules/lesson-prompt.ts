import type { JobsModuleFactory } from "./index.ts";

export const lessonPromptModule: JobsModuleFactory = () => ({});
