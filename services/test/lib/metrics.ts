// Reading the services' Prometheus text exposition in the tests.

/** Value of one sample in a Prometheus text exposition, or undefined. */
export function sample(metrics: string, name: string, labels: string): number | undefined {
    const line = metrics.split("\n").find((l) => l.startsWith(`${name}{`) && labels.split(",").every((label) => l.includes(label)));
    return line === undefined ? undefined : Number(line.split(" ").pop());
}
