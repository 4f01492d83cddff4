// The admission component's public surface.
export { AdmissionPolicies, type AdmissionPoliciesArgs } from "./component";
export { admissionPolicySpecs, packConfigFile, readPackConfig } from "./spec";
