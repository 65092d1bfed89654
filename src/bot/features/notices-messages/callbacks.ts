// Shared with the jobs layer: defined in src/actions.
export * from "../../../actions/notices.ts";
