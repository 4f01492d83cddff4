// auth's API: register, log in (rate-limited), who-am-I, and the JWKS the other services verify with.
import { hash, verify, Algorithm } from "@node-rs/argon2";
import rateLimit from "@fastify/rate-limit";
import { SignJWT, jwtVerify } from "jose";
import { HttpError, JWKS_PATH, TOKEN_AUDIENCE, TOKEN_ISSUER, type FastifyInstance, type Pool, type Redis } from "@blog/shared";
import type { SigningKeys } from "./keys.js";

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): memory-hard, yet fits the pod's 128-256 MiB.
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

// Compared against when the user does not exist, so a wrong username costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

const credentials = {
    type: "object",
    required: ["username", "password"],
    additionalProperties: false,
    properties: {
        username: { type: "string", minLength: 3, maxLength: 32, pattern: "^[a-z0-9_]+$" },
        password: { type: "string", minLength: 8, maxLength: 128 },
    },
} as const;

interface Credentials {
    username: string;
    password: string;
}

export interface AuthDeps {
    pool: Pool;
    redis: Redis;
    keys: SigningKeys;
    tokenTtlSeconds: number;
    loginAttemptsPerMinute: number;
}

export async function authRoutes(app: FastifyInstance, deps: AuthDeps): Promise<void> {
    const { pool, keys } = deps;
    await app.register(rateLimit, {
        global: false,
        // Counted in Redis so every replica enforces one budget per client.
        redis: deps.redis,
        nameSpace: "auth-rl:",
        // If Redis is down, logins still work (the limit is a brake, not a gate).
        skipOnError: true,
        errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            error: `too many login attempts: at most ${context.max} per minute; retry in ${context.after}`,
        }),
    });

    app.get(JWKS_PATH, async (_request, reply) => {
        reply.header("cache-control", "public, max-age=300");
        return { keys: [keys.publicJwk] };
    });

    app.post<{ Body: Credentials }>("/register", { schema: { body: credentials } }, async (request, reply) => {
        const { username, password } = request.body;
        const passwordHash = await hash(password, ARGON2);
        const result = await pool.query(
            "INSERT INTO users (username, password_hash) VALUES ($1, $2) " +
                "ON CONFLICT (username) DO NOTHING RETURNING id, username, created_at",
            [username, passwordHash],
        );
        if (result.rowCount === 0) {
            throw new HttpError(409, `body.username ${JSON.stringify(username)} is already taken; choose another`);
        }
        const row = result.rows[0];
        return reply.code(201).send({ id: Number(row.id), username: row.username, createdAt: row.created_at });
    });

    app.post<{ Body: Credentials }>(
        "/login",
        {
            schema: { body: credentials },
            config: { rateLimit: { max: deps.loginAttemptsPerMinute, timeWindow: "1 minute" } },
        },
        async (request) => {
            const { username, password } = request.body;
            const result = await pool.query("SELECT id, username, password_hash FROM users WHERE username = $1", [username]);
            const row = result.rows[0];
            dummyHash ??= hash("not-a-password", ARGON2);
            const ok = await verify(row?.password_hash ?? (await dummyHash), password);
            if (!row || !ok) {
                throw new HttpError(401, "wrong username or password");
            }
            const token = await new SignJWT({ name: row.username })
                .setProtectedHeader({ alg: "EdDSA", kid: keys.kid })
                .setSubject(String(row.id))
                .setIssuer(TOKEN_ISSUER)
                .setAudience(TOKEN_AUDIENCE)
                .setIssuedAt()
                .setExpirationTime(`${deps.tokenTtlSeconds}s`)
                .sign(keys.privateKey);
            return { token, tokenType: "Bearer", expiresIn: deps.tokenTtlSeconds, user: { id: Number(row.id), username: row.username } };
        },
    );

    app.get("/me", async (request) => {
        const header = request.headers.authorization;
        if (!header?.startsWith("Bearer ")) {
            throw new HttpError(401, "authorization: a 'Bearer <token>' header is required");
        }
        try {
            const { payload } = await jwtVerify(header.slice(7), keys.publicKey, {
                issuer: TOKEN_ISSUER,
                audience: TOKEN_AUDIENCE,
                algorithms: ["EdDSA"],
            });
            return { id: Number(payload.sub), username: payload.name };
        } catch {
            throw new HttpError(401, "authorization: invalid or expired token");
        }
    });
}
