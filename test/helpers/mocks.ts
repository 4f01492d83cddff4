// The recording mocks (harness/record.ts, shared with the benchmarks) and a filter the tests use on them.
import type { RecordedResource } from "../../harness/record";

export { mockGeneratedValue, type RecordedResource, RecordingMocks, recordResources } from "../../harness/record";

export function ofType(resources: RecordedResource[], kind: string): RecordedResource[] {
    return resources.filter((r) => r.type.endsWith(`:${kind}`));
}
