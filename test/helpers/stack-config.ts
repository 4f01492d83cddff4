// Stack config as the CLI hands it over: harness/stack-config.ts, shared with the benchmarks.
export { FIXTURE_IMAGE_LOCK, projectConfigDeclarations, REPO_ROOT, stackConfig } from "../../harness/stack-config";
