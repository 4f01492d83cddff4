// The program's resources without an engine: Pulumi's mock runtime records every registration (strict: any
// provider function call fails), for the tests and for scripts/bench-policy.ts, which times the pack on them.
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    type: string;
    name: string;
    /** The resolved inputs, as the mock runtime hands them over (Pulumi types them loosely, as any). */
    inputs: pulumi.runtime.MockResourceArgs["inputs"];
}

const GENERATED_PREFIX = "mock-generated-";

/** The value a mocked RandomPassword produces, so tests can look for leaks of it. */
export function mockGeneratedValue(resourceName: string): string {
    return `${GENERATED_PREFIX}${resourceName}`;
}

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        this.resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: pulumi.runtime.MockResourceResult["state"] = { ...args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword") {
            state.result = mockGeneratedValue(args.name);
        }
        if (args.type.startsWith("kubernetes:") && state.metadata) {
            // The API server would fill these in; components read them back for addresses.
            state.metadata = { namespace: "default", ...state.metadata, name: state.metadata.name ?? `${args.name}-generated` };
        }
        return { id: `${args.name}-id`, state };
    }

    call(args: pulumi.runtime.MockCallArgs): never {
        throw new Error(`unexpected provider function call ${args.token}: the program should not read from the cluster`);
    }
}

/**
 * Runs `build` under fresh mocks, as stack "test" of `project` (whose config `new pulumi.Config()` reads), and
 * waits until resource registration goes quiet, then returns every resource registered with its resolved inputs.
 */
export async function recordResources<T>(build: () => T, project = "blog"): Promise<{ resources: RecordedResource[]; result: T }> {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, project, "test", false);
    const result = build();
    let seen = -1;
    let quietRounds = 0;
    while (quietRounds < 5) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        quietRounds = mocks.resources.length === seen ? quietRounds + 1 : 0;
        seen = mocks.resources.length;
    }
    return { resources: mocks.resources, result };
}
