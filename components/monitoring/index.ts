// The monitoring module's public API: the component, its args and the pure generators tests run tools on.
export { MonitoringStack } from "./component";
export { MonitoringStackArgs, resolveMonitoringArgs } from "./spec";
export { MONITORING_DEFAULTS, IMAGES } from "./defaults";
export { AlertReceiver, alertmanagerYaml } from "./alertmanager-config";
export { ALERTS, alertRules, AlertThresholds, SEVERITIES, Severity } from "./rules";
export { prometheusYaml } from "./prometheus-config";
export { dashboards, panelQueries } from "./dashboards";
export { parseDuration } from "./duration";
