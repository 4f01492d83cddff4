// The blog's pages: post list, a post with its comments, log in / register, write a post with an image.
// Navigation is by URL hash (#/posts/12), so any path the gateway hands nginx falls back to index.html.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, type Comment, type Post, type Session } from "./api";

function useHashRoute(): string {
    const [hash, setHash] = useState(window.location.hash || "#/");
    useEffect(() => {
        const onChange = () => setHash(window.location.hash || "#/");
        window.addEventListener("hashchange", onChange);
        return () => window.removeEventListener("hashchange", onChange);
    }, []);
    return hash;
}

function loadSession(): Session | null {
    const stored = sessionStorage.getItem("session");
    return stored ? (JSON.parse(stored) as Session) : null;
}

function ErrorLine({ error }: { error: string | null }) {
    return error ? (
        <p role="alert" className="error">
            {error}
        </p>
    ) : null;
}

export function App() {
    const route = useHashRoute();
    const [session, setSession] = useState<Session | null>(loadSession);
    const signIn = (next: Session | null) => {
        if (next) sessionStorage.setItem("session", JSON.stringify(next));
        else sessionStorage.removeItem("session");
        setSession(next);
    };
    const postMatch = route.match(/^#\/posts\/(\d+)$/);
    return (
        <main>
            <nav>
                <a href="#/">Posts</a>
                {session ? (
                    <>
                        {" · "}
                        <a href="#/new">Write a post</a>
                        {" · "}
                        <span data-testid="whoami">Signed in as {session.username}</span>
                        {" · "}
                        <button type="button" onClick={() => signIn(null)}>
                            Log out
                        </button>
                    </>
                ) : (
                    <>
                        {" · "}
                        <a href="#/login">Log in or register</a>
                    </>
                )}
            </nav>
            {postMatch ? (
                <PostPage id={Number(postMatch[1])} session={session} />
            ) : route === "#/login" ? (
                <LoginPage onSignedIn={signIn} />
            ) : route === "#/new" ? (
                <NewPostPage session={session} />
            ) : (
                <PostList />
            )}
        </main>
    );
}

function PostList() {
    const [posts, setPosts] = useState<Post[] | null>(null);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
        api.listPosts().then(
            (r) => setPosts(r.posts),
            (e: Error) => setError(e.message),
        );
    }, []);
    return (
        <section>
            <h1>Posts</h1>
            <ErrorLine error={error} />
            {posts?.length === 0 && <p>No posts yet.</p>}
            <ul>
                {posts?.map((post) => (
                    <li key={post.id}>
                        <a href={`#/posts/${post.id}`}>{post.title}</a> by {post.author.username}
                    </li>
                ))}
            </ul>
        </section>
    );
}

function PostPage({ id, session }: { id: number; session: Session | null }) {
    const [post, setPost] = useState<Post | null>(null);
    const [comments, setComments] = useState<Comment[]>([]);
    const [draft, setDraft] = useState("");
    const [error, setError] = useState<string | null>(null);
    const loadComments = useCallback(() => api.listComments(id).then((r) => setComments(r.comments)), [id]);
    useEffect(() => {
        api.getPost(id).then(setPost, (e: Error) => setError(e.message));
        loadComments().catch((e: Error) => setError(e.message));
    }, [id, loadComments]);
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        if (!session) return;
        try {
            await api.addComment(session, id, draft);
            setDraft("");
            setError(null);
            await loadComments();
        } catch (e) {
            setError((e as Error).message);
        }
    };
    return (
        <article>
            <ErrorLine error={error} />
            {post && (
                <>
                    <h1>{post.title}</h1>
                    <p className="byline">by {post.author.username}</p>
                    {post.imageId !== null && (
                        <a href={api.imageUrl(post.imageId)}>
                            <img alt="attached to the post" src={api.thumbnailUrl(post.imageId)} />
                        </a>
                    )}
                    <p className="body">{post.body}</p>
                </>
            )}
            <h2>Comments</h2>
            <ul aria-label="comments">
                {comments.map((c) => (
                    <li key={c.id}>
                        <strong>{c.author.username}</strong>: {c.body}
                    </li>
                ))}
            </ul>
            {session ? (
                <form onSubmit={submit}>
                    <label>
                        Your comment <textarea name="comment" value={draft} onChange={(e) => setDraft(e.target.value)} required />
                    </label>
                    <button type="submit">Comment</button>
                </form>
            ) : (
                <p>
                    <a href="#/login">Log in</a> to comment.
                </p>
            )}
        </article>
    );
}

function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
    const [username, setUsername] = useState("");
    const [password, setPassword] = useState("");
    const [message, setMessage] = useState<string | null>(null);
    const [error, setError] = useState<string | null>(null);
    const act = (what: "login" | "register") => async (event?: FormEvent) => {
        event?.preventDefault();
        try {
            if (what === "register") {
                await api.register(username, password);
                setMessage(`Registered ${username}; now log in.`);
            } else {
                onSignedIn(await api.login(username, password));
                window.location.hash = "#/";
            }
            setError(null);
        } catch (e) {
            setError((e as Error).message);
        }
    };
    return (
        <form onSubmit={act("login")}>
            <h1>Log in or register</h1>
            <label>
                Username <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
            </label>
            <label>
                Password{" "}
                <input
                    name="password"
                    type="password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    autoComplete="current-password"
                />
            </label>
            <button type="submit">Log in</button>
            <button type="button" onClick={() => void act("register")()}>
                Register
            </button>
            {message && <p role="status">{message}</p>}
            <ErrorLine error={error} />
        </form>
    );
}

function NewPostPage({ session }: { session: Session | null }) {
    const [title, setTitle] = useState("");
    const [body, setBody] = useState("");
    const [file, setFile] = useState<File | null>(null);
    const [error, setError] = useState<string | null>(null);
    const [busy, setBusy] = useState(false);
    if (!session)
        return (
            <p>
                <a href="#/login">Log in</a> to write a post.
            </p>
        );
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        setBusy(true);
        try {
            const imageId = file ? (await api.uploadImage(session, file)).id : null;
            const post = await api.createPost(session, title, body, imageId);
            window.location.hash = `#/posts/${post.id}`;
        } catch (e) {
            setError((e as Error).message);
        } finally {
            setBusy(false);
        }
    };
    return (
        <form onSubmit={submit}>
            <h1>Write a post</h1>
            <label>
                Title <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required />
            </label>
            <label>
                Text <textarea name="body" value={body} onChange={(e) => setBody(e.target.value)} required />
            </label>
            <label>
                Image{" "}
                <input
                    name="image"
                    type="file"
                    accept="image/jpeg,image/png,image/webp,image/gif"
                    onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
            </label>
            <button type="submit" disabled={busy}>
                Publish
            </button>
            <ErrorLine error={error} />
        </form>
    );
}
