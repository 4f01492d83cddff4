// Derives the Ed25519 signing key from JWT_SIGNING_KEY (HKDF), so the generated Secret stays the one source
// of key material while the others verify with the public half only (a shared HMAC key would let every
// service mint tokens).
import { createPrivateKey, createPublicKey, hkdfSync, createHash, type KeyObject } from "node:crypto";
import { exportJWK, type JWK } from "jose";

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface SigningKeys {
    privateKey: KeyObject;
    publicKey: KeyObject;
    publicJwk: JWK;
    kid: string;
}

export async function deriveSigningKeys(secret: string): Promise<SigningKeys> {
    const seed = Buffer.from(hkdfSync("sha256", secret, "blog-platform", "auth token signing key v1", 32));
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
    const publicKey = createPublicKey(privateKey);
    const publicJwk = await exportJWK(publicKey);
    // The key id changes when the secret rotates, so verifiers refetch the JWKS.
    const kid = createHash("sha256")
        .update(publicJwk.x ?? "")
        .digest("base64url")
        .slice(0, 16);
    return { privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: "EdDSA", use: "sig" }, kid };
}
