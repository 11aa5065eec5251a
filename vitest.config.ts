import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // fails the run when a test leaves a temp folder or a namespace behind
    globalSetup: ["test/leak-guard.ts"],
    // integration tests send real traffic and build namespaces: one file at a time
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
