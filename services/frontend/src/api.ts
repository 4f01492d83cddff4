// The SPA's only way out: the gateway's /api/* routes. Every error carries the service's message.
export interface Post {
    id: number;
    title: string;
    body: string;
    imageId: number | null;
    author: { id: number; username: string };
    createdAt: string;
}
export interface Comment {
    id: number;
    body: string;
    author: { username: string };
    createdAt: string;
}
export interface Session {
    token: string;
    username: string;
}

export class ApiError extends Error {}

async function request<T>(
    method: string,
    path: string,
    options: { json?: unknown; body?: Blob; contentType?: string; session?: Session | null } = {},
): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.json !== undefined) headers["content-type"] = "application/json";
    if (options.contentType) headers["content-type"] = options.contentType;
    if (options.session) headers.authorization = `Bearer ${options.session.token}`;
    const response = await fetch(path, {
        method,
        headers,
        body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
        throw new ApiError(data?.error ?? `${method} ${path} answered ${response.status}`);
    }
    return data as T;
}

export const api = {
    listPosts: (page: number, limit: number) =>
        request<{ posts: Post[]; total: number; page: number; limit: number }>("GET", `/api/posts/?page=${page}&limit=${limit}`),
    getPost: (id: number) => request<Post>("GET", `/api/posts/${id}`),
    createPost: (session: Session, title: string, body: string, imageId: number | null) =>
        request<Post>("POST", "/api/posts/", { session, json: { title, body, imageId } }),
    listComments: (postId: number) => request<{ comments: Comment[] }>("GET", `/api/comments/?postId=${postId}`),
    addComment: (session: Session, postId: number, body: string) =>
        request<Comment>("POST", "/api/comments/", { session, json: { postId, body } }),
    register: (username: string, password: string) =>
        request<{ id: number }>("POST", "/api/auth/register", { json: { username, password } }),
    login: async (username: string, password: string): Promise<Session> => {
        const result = await request<{ token: string; user: { username: string } }>("POST", "/api/auth/login", {
            json: { username, password },
        });
        return { token: result.token, username: result.user.username };
    },
    uploadImage: (session: Session, file: File) =>
        request<{ id: number }>("POST", "/api/images/", { session, body: file, contentType: file.type }),
    thumbnailUrl: (imageId: number) => `/api/images/${imageId}/thumbnail`,
    imageUrl: (imageId: number) => `/api/images/${imageId}`,
};
