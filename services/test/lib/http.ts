// Small helpers over fetch for JSON APIs, and a user that registers and logs in.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseEnv } from "./env";

export interface JsonResponse {
    status: number;
    body: any;
    headers: Headers;
}

export async function call(
    method: string,
    url: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
        headers["content-type"] = "application/json";
    }
    if (options.token) {
        headers.authorization = `Bearer ${options.token}`;
    }
    const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    let body: unknown = text;
    try {
        body = text ? JSON.parse(text) : undefined;
    } catch {
        // not JSON
    }
    return { status: response.status, body, headers: response.headers };
}

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;

export async function registeredUser(authUrl: string): Promise<{ id: number; username: string; password: string; token: string }> {
    const username = uniqueName("u");
    const password = randomBytes(12).toString("base64url");
    const registered = await call("POST", `${authUrl}/register`, { body: { username, password } });
    if (registered.status !== 201) {
        throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
    }
    const login = await call("POST", `${authUrl}/login`, {
        body: { username, password },
        headers: { "x-forwarded-for": `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    });
    if (login.status !== 200) {
        throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    }
    return { id: registered.body.id, username, password, token: login.body.token };
}

let pool: pg.Pool | undefined;
/** Direct database access, to check what was (not) written. */
export async function query(sql: string, params: unknown[] = []): Promise<any[]> {
    pool ??= new pg.Pool({
        host: databaseEnv.DATABASE_HOST,
        port: Number(databaseEnv.DATABASE_PORT),
        database: databaseEnv.DATABASE_NAME,
        user: databaseEnv.DATABASE_USER,
        password: databaseEnv.DATABASE_PASSWORD,
        max: 2,
    });
    return (await pool.query(sql, params)).rows;
}
export async function closeDb(): Promise<void> {
    await pool?.end();
    pool = undefined;
}

export async function count(table: string): Promise<number> {
    return (await query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
}
