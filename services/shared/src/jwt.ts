// Verifies the access tokens auth issues, against auth's published JWKS (EdDSA), so no other service
// holds a key that could mint tokens.
import { createRemoteJWKSet, jwtVerify, errors } from "jose";
import type { FastifyRequest } from "fastify";

export const TOKEN_ISSUER = "blog-auth";
export const TOKEN_AUDIENCE = "blog-platform";
export const JWKS_PATH = "/.well-known/jwks.json";

export interface User {
    id: number;
    username: string;
}

export class HttpError extends Error {
    constructor(
        readonly statusCode: number,
        message: string,
    ) {
        super(message);
    }
}

export type TokenVerifier = (request: FastifyRequest) => Promise<User>;

/** Builds a verifier that reads "Authorization: Bearer <jwt>" and answers 401 for anything wrong with it. */
export function remoteTokenVerifier(authServiceUrl: string): TokenVerifier {
    const jwks = createRemoteJWKSet(new URL(JWKS_PATH, authServiceUrl), { timeoutDuration: 3000, cooldownDuration: 30000 });
    return async (request) => {
        const header = request.headers.authorization;
        if (!header?.startsWith("Bearer ")) {
            throw new HttpError(401, "authorization: a 'Bearer <token>' header from POST /api/auth/login is required");
        }
        try {
            const { payload } = await jwtVerify(header.slice("Bearer ".length), jwks, {
                issuer: TOKEN_ISSUER,
                audience: TOKEN_AUDIENCE,
                algorithms: ["EdDSA"],
            });
            if (typeof payload.sub !== "string" || typeof payload.name !== "string") {
                throw new HttpError(401, "authorization: token lacks the user's id or name");
            }
            return { id: Number(payload.sub), username: payload.name };
        } catch (error) {
            if (error instanceof HttpError) {
                throw error;
            }
            if (error instanceof errors.JWTExpired) {
                throw new HttpError(401, "authorization: token expired; log in again");
            }
            if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
                throw new HttpError(401, "authorization: invalid token");
            }
            // The JWKS could not be fetched: our dependency failed, not the caller.
            throw new HttpError(503, "authorization: cannot reach the auth service to check the token");
        }
    };
}
