import { openTestStore } from "../helpers/open-test-store.js";

/** The plan jobs the store recorded for a project, oldest first. */
export async function planJobs(dataDir: string, project: string) {
  const store = openTestStore(dataDir);
  try {
    return (await store.jobs.recent()).filter((j) => j.kind === "plan" && j.project === project).reverse();
  } finally {
    store.close();
  }
}
