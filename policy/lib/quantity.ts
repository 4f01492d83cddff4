// Kubernetes resource quantities ("250m", "128Mi", "1.5", 2) as numbers, so limits compare with requests.
// The pack ships on its own, so it keeps its own parser rather than importing the platform's.

const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** The quantity in base units (cores, bytes); undefined when it is not a valid quantity. */
export function parseQuantity(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const match = QUANTITY.exec(value);
    if (!match) {
        return undefined;
    }
    const [, digits, suffix = ""] = match;
    if (/^[eE]/.test(suffix)) {
        return Number(digits) * 10 ** Number(suffix.slice(1));
    }
    return Number(digits) * (BINARY[suffix] ?? DECIMAL[suffix]);
}
