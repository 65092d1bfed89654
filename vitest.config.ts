import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "scratch/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Budgets, not assertions: generous enough for a busy 2-core machine running another suite beside this one.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
