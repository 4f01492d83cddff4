// auth against real PostgreSQL and Redis: register, log in, tokens, bad input, rate limiting.
import assert from "node:assert/strict";
import { startService, type RunningService } from "./lib/service";
import { authEnv, migrateAll } from "./lib/stack";
import { call, closeDb, count, query, registeredUser, uniqueName } from "./lib/http";

describe("auth", () => {
    let auth: RunningService;
    before(async () => {
        await migrateAll();
        auth = await startService("auth", authEnv({ LOGIN_ATTEMPTS_PER_MINUTE: "3" }));
    });
    after(async () => {
        await auth?.stop();
        await closeDb();
    });

    it("registers a user with an argon2id hash, never the password", async () => {
        const username = uniqueName("alice");
        const response = await call("POST", `${auth.url}/register`, { body: { username, password: "correct horse battery" } });
        assert.equal(response.status, 201);
        assert.equal(response.body.username, username);
        const [row] = await query("SELECT password_hash FROM users WHERE username = $1", [username]);
        assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        assert.ok(!row.password_hash.includes("correct horse"));
    });

    it("answers 409 for a taken username and writes nothing", async () => {
        const user = await registeredUser(auth.url);
        const before = await count("users");
        const response = await call("POST", `${auth.url}/register`, { body: { username: user.username, password: "another password" } });
        assert.equal(response.status, 409);
        assert.match(response.body.error, /body\.username .* is already taken/);
        assert.equal(await count("users"), before);
    });

    for (const [what, body, field] of [
        ["a short password", { username: "bob_short", password: "short" }, /body\.password must NOT have fewer than 8 characters/],
        [
            "a username with capitals",
            { username: "Bob", password: "long enough password" },
            /body\.username must match pattern .*\(got "Bob"\)/,
        ],
        ["a missing password", { username: "bob_nopass" }, /body\.password must have required property 'password'/],
        [
            "an unknown field",
            { username: "bob_extra", password: "long enough password", admin: true },
            /must NOT have additional properties 'admin'/,
        ],
    ] as const) {
        it(`rejects ${what} with 400 naming the field, and writes nothing`, async () => {
            const before = await count("users");
            const response = await call("POST", `${auth.url}/register`, { body });
            assert.equal(response.status, 400);
            assert.match(response.body.error, field);
            assert.ok(!JSON.stringify(response.body).includes('short"'), "the password is not echoed");
            assert.equal(await count("users"), before);
        });
    }

    it("logs in with the right password and issues a token auth itself accepts", async () => {
        const user = await registeredUser(auth.url);
        const me = await call("GET", `${auth.url}/me`, { token: user.token });
        assert.equal(me.status, 200);
        assert.deepEqual(me.body, { id: user.id, username: user.username });
    });

    it("publishes the public key only, as an EdDSA JWKS", async () => {
        const jwks = await call("GET", `${auth.url}/.well-known/jwks.json`);
        assert.equal(jwks.status, 200);
        assert.equal(jwks.body.keys.length, 1);
        const [key] = jwks.body.keys;
        assert.equal(key.kty, "OKP");
        assert.equal(key.crv, "Ed25519");
        assert.equal(key.d, undefined, "private part must not be published");
    });

    it("answers 401 for a wrong password, an unknown user, and a tampered or missing token", async () => {
        const user = await registeredUser(auth.url);
        const headers = { "x-forwarded-for": "10.9.0.1" };
        assert.equal(
            (await call("POST", `${auth.url}/login`, { body: { username: user.username, password: "wrong password!" }, headers })).status,
            401,
        );
        assert.equal(
            (await call("POST", `${auth.url}/login`, { body: { username: uniqueName("nobody"), password: "whatever123" }, headers }))
                .status,
            401,
        );
        const [head, payload, signature] = user.token.split(".");
        const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "1" })).toString(
            "base64url",
        );
        assert.equal((await call("GET", `${auth.url}/me`, { token: `${head}.${forged}.${signature}` })).status, 401);
        assert.equal((await call("GET", `${auth.url}/me`)).status, 401);
    });

    it("rate-limits logins per client address (429 after the limit), counting in Redis", async () => {
        const user = await registeredUser(auth.url);
        const headers = { "x-forwarded-for": "10.99.99.99" };
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
            statuses.push(
                (await call("POST", `${auth.url}/login`, { body: { username: user.username, password: user.password }, headers })).status,
            );
        }
        assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
        const other = await call("POST", `${auth.url}/login`, {
            body: { username: user.username, password: user.password },
            headers: { "x-forwarded-for": "10.99.99.98" },
        });
        assert.equal(other.status, 200, "another client is not limited");
    });

    it("keys the limit on the address the gateway appended, so a client cannot spoof its way past it", async () => {
        const user = await registeredUser(auth.url);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
            // A client may send any X-Forwarded-For; the gateway appends the real address after it.
            const headers = { "x-forwarded-for": `192.0.2.${i}, 10.77.0.1` };
            statuses.push(
                (await call("POST", `${auth.url}/login`, { body: { username: user.username, password: user.password }, headers })).status,
            );
        }
        assert.deepEqual(statuses, [200, 200, 200, 429]);
    });

    it("refuses to start with bad configuration, naming each variable and hiding secrets", async () => {
        const { runScript } = await import("./lib/service");
        const result = await runScript("auth", "main.js", {
            ...authEnv(),
            DATABASE_PORT: "fivefour",
            JWT_SIGNING_KEY: "short",
            REDIS_HOST: "",
        });
        assert.equal(result.code, 78);
        assert.match(result.stderr, /DATABASE_PORT="fivefour" must be an integer from 1 to 65535/);
        assert.match(result.stderr, /JWT_SIGNING_KEY=<hidden> must be at least 32 characters long/);
        assert.match(result.stderr, /REDIS_HOST is not set \(Redis host\)/);
        assert.ok(!result.stderr.includes("    at "), "no stack trace for a configuration mistake");
    });
});
