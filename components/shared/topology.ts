// The platform's service graph: which workloads exist, which ports they serve, and who calls whom.
// Wiring (environment variables), NetworkPolicies and the gateway's routes are all derived from it, and
// it is derived from the workload catalogue (catalogue.ts).
import {
    ADMIN_PORT,
    DATA_STORES,
    type DataStoreName,
    GATEWAY_EXPORTER_PORT,
    SERVICE_NAMES,
    SERVICE_PORT,
    perService,
    type ServiceName,
    type ServicesWhere,
    servicesWhere,
} from "./catalogue";

export { ADMIN_PORT, type DataStoreName, GATEWAY_EXPORTER_PORT, SERVICE_NAMES, SERVICE_PORT, type ServiceName };

export const DATA_STORE_NAMES = Object.keys(DATA_STORES) as DataStoreName[];

export type WorkloadName = ServiceName | DataStoreName;

/** The Node.js backends (services/): they read the runtime contract's environment (shutdown budget, proxy hops). */
export const BACKEND_SERVICES = servicesWhere<{ runtime: "node" }>((entry) => entry.runtime === "node");
export type BackendService = ServicesWhere<{ runtime: "node" }>;

/** Services the gateway may route to: everything but itself. */
export type RoutableService = Exclude<ServiceName, "gateway">;
export const ROUTABLE_SERVICES: readonly RoutableService[] = SERVICE_NAMES.filter((name): name is RoutableService => name !== "gateway");

/** The port each workload serves its main protocol on. */
export const WORKLOAD_PORTS: Record<WorkloadName, number> = {
    ...perService((entry) => entry.port),
    ...(Object.fromEntries(DATA_STORE_NAMES.map((name) => [name, DATA_STORES[name].port])) as Record<DataStoreName, number>),
};

/** What an admin port serves: the platform's contract with the services (services/test checks it). */
export const ADMIN_PATHS = { metrics: "/metrics", liveness: "/health", readiness: "/ready" } as const;

/**
 * Where each workload serves Prometheus metrics: the Node.js services on their admin port, the gateway
 * through its exporter sidecar. The frontend (static nginx serving the SPA) exports none. The data stores
 * export none either (kube-state-metrics reports their readiness).
 */
export const METRICS_PORTS: Record<WorkloadName, number | undefined> = {
    ...perService((entry) => entry.metricsPort),
    ...(Object.fromEntries(DATA_STORE_NAMES.map((name) => [name, undefined])) as Record<DataStoreName, undefined>),
};

/** The distinct metrics ports of the platform's workloads, ascending: what Prometheus must reach. */
export function platformMetricsPorts(): number[] {
    return [...new Set(Object.values(METRICS_PORTS).filter((port): port is number => port !== undefined))].sort((a, b) => a - b);
}

/**
 * What each service calls, besides the gateway's routes (which come from config): the catalogue's `calls`,
 * the single statement of the platform's dependencies.
 */
export const SERVICE_DEPENDENCIES: Record<ServiceName, readonly WorkloadName[]> = perService((entry) => entry.calls);

/**
 * Services that own tables: each applies its schema with `node dist/migrate.js` in a Job of its own
 * before its Deployment rolls. The Job's pods are a workload of their own (`<service>-migrate`), so
 * neither the service's Service nor its NetworkPolicy selects them.
 */
export const MIGRATING_SERVICES = servicesWhere<{ migrates: true }>((entry) => entry.migrates);
export type MigratingService = ServicesWhere<{ migrates: true }>;
export type MigrationWorkload = `${MigratingService}-migrate`;
export const isMigratingService = (name: ServiceName): name is MigratingService => (MIGRATING_SERVICES as readonly string[]).includes(name);
export const migrationWorkload = (service: MigratingService): MigrationWorkload => `${service}-migrate`;
/** What a migration reaches: only the database. */
export const MIGRATION_DEPENDENCIES: readonly DataStoreName[] = ["postgres"];

/**
 * The database's scheduled logical backup (components/postgres/backup.ts): a CronJob's pods, a workload
 * of their own that reaches only the database, and only when the backup is enabled.
 */
export const POSTGRES_BACKUP_WORKLOAD = "postgres-backup";
export type BackupWorkload = typeof POSTGRES_BACKUP_WORKLOAD;
export const BACKUP_DEPENDENCIES: readonly DataStoreName[] = ["postgres"];

/** One allowed connection: `from` opens TCP connections to `to` on `port`. */
export interface Edge {
    from: WorkloadName | MigrationWorkload | BackupWorkload;
    to: WorkloadName;
    port: number;
}

/** The optional workloads a stack runs besides its services, stores and migrations. */
export interface OptionalWorkloads {
    /** The database's scheduled backup. @default false */
    postgresBackup?: boolean;
}

/**
 * All edges of the platform: the gateway's route targets, every service's declared dependencies, each
 * migration Job's way to the database, and the backup's when it runs.
 */
export function serviceEdges(routeTargets: readonly RoutableService[], optional: OptionalWorkloads = {}): Edge[] {
    const gatewayEdges = [...new Set(routeTargets)].map((to) => ({ from: "gateway" as const, to, port: WORKLOAD_PORTS[to] }));
    const dependencyEdges = SERVICE_NAMES.flatMap((from) =>
        SERVICE_DEPENDENCIES[from].map((to) => ({ from, to, port: WORKLOAD_PORTS[to] })),
    );
    const migrationEdges = MIGRATING_SERVICES.flatMap((service) =>
        MIGRATION_DEPENDENCIES.map((to) => ({ from: migrationWorkload(service), to, port: WORKLOAD_PORTS[to] })),
    );
    const backupEdges = optional.postgresBackup
        ? BACKUP_DEPENDENCIES.map((to): Edge => ({ from: POSTGRES_BACKUP_WORKLOAD, to, port: WORKLOAD_PORTS[to] }))
        : [];
    return [...gatewayEdges, ...dependencyEdges, ...migrationEdges, ...backupEdges];
}

/**
 * Services in an order where each comes after everything it depends on, so a consumer can be handed its
 * dependencies' component outputs. Throws on a cycle, which would be a programming error here.
 */
export function deploymentOrder(edges: readonly Edge[]): ServiceName[] {
    const ordered: ServiceName[] = [];
    const visiting = new Set<ServiceName>();
    const visit = (name: ServiceName): void => {
        if (ordered.includes(name)) {
            return;
        }
        if (visiting.has(name)) {
            throw new Error(`the service graph has a cycle through ${name}`);
        }
        visiting.add(name);
        for (const edge of edges) {
            if (edge.from === name && isService(edge.to)) {
                visit(edge.to);
            }
        }
        visiting.delete(name);
        ordered.push(name);
    };
    SERVICE_NAMES.forEach(visit);
    return ordered;
}

export function isService(name: WorkloadName): name is ServiceName {
    return (SERVICE_NAMES as readonly string[]).includes(name);
}
