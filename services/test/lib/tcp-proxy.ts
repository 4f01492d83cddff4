// A real TCP relay in front of the test PostgreSQL, so a test can take the database away from one running
// service (and give it back) without stopping the server the other tests share.
import net from "node:net";

export interface TcpProxy {
    port: number;
    /** Refuses new connections and resets the open ones, as a database that went away does. */
    cut(): Promise<void>;
    /** Accepts connections again on the same port. */
    restore(): Promise<void>;
    close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
            socket.on("error", () => undefined);
        }
        client.pipe(upstream).pipe(client);
    });
    const listen = (port: number) =>
        new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    await listen(0);
    const port = (server.address() as net.AddressInfo).port;
    const cut = async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) {
            socket.resetAndDestroy();
        }
        await closed;
    };
    return {
        port,
        cut,
        restore: () => listen(port),
        close: () => (server.listening ? cut() : Promise.resolve()),
    };
}
