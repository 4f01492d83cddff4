// Kubernetes resource quantities: parsing "100m", "128Mi", "10Gi" into numbers we can compare and add.

const DECIMAL_SUFFIXES: Record<string, number> = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};
const BINARY_SUFFIXES: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

// The canonical quantity grammar from k8s.io/apimachinery, minus the rarely used exponent form's sign
// edge cases: a decimal number followed by an optional SI, binary or exponent suffix.
const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][0-9]+)?$/;

/** Parses a quantity to its value in base units (cores for CPU, bytes for memory); undefined if malformed. */
export function parseQuantity(text: string): number | undefined {
    const match = QUANTITY.exec(text.trim());
    if (!match || text.trim() !== text) {
        return undefined;
    }
    const [, digits, suffix = ""] = match;
    const value = Number(digits);
    if (/^[eE]/.test(suffix)) {
        return value * 10 ** Number(suffix.slice(1));
    }
    const factor = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
    return factor === undefined ? undefined : value * factor;
}

/** Formats CPU cores as millicores ("250m"), the form Kubernetes itself prints. */
export function formatMillicores(cores: number): string {
    return `${Math.ceil(cores * 1000)}m`;
}

/** Formats bytes as whole mebibytes ("192Mi"), rounding up so a sum never undercounts. */
export function formatMebibytes(bytes: number): string {
    return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}
