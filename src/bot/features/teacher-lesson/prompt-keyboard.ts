// Shared with the jobs layer: defined in src/actions.
export * from "../../../actions/lesson-prompt.ts";
