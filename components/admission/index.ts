// The admission component's public surface.
export { AdmissionPolicies, type AdmissionPoliciesArgs } from "./component";
export { type AdmissionPolicySpecArgs, admissionPolicySpecs, packConfigFile, readPackConfig } from "./spec";
