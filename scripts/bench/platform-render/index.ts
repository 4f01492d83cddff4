// The platform program of index.ts with its provider rendering YAML to a directory instead of talking to a
// cluster: what scripts/bench-preview.ts --render times when no local cluster is available.
import * as k8s from "@pulumi/kubernetes";
import { loadConfig } from "../../../config";
import { buildStack } from "../../../stack";

const provider = new k8s.Provider("cluster", { renderYamlToDirectory: "rendered" });
buildStack(loadConfig(), { providers: { kubernetes: provider } });
