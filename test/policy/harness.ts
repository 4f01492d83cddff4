// The policy-host stand-in moved to harness/policy-host.ts (shared with scripts/bench-policy.ts); this
// re-export only serves test/e2e/admission-policies.test.ts until its import points there.
export * from "../../harness/policy-host";
