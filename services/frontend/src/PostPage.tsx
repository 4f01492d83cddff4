// One post: its image, text and date, then its comments (each with author and date) and the form to add one.
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { api, type Comment, type Post, type Session } from "./api";
import { DateStamp, ErrorLine, Loading } from "./ui";

export function PostPage({ id, session }: { id: number; session: Session | null }) {
    const [post, setPost] = useState<Post | null>(null);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
        setPost(null);
        setError(null);
        api.getPost(id).then(setPost, (e: Error) => setError(e.message));
    }, [id]);
    if (error) {
        return (
            <section>
                <h1>This post cannot be shown</h1>
                <ErrorLine error={error} />
                <p>
                    <a href="#/">Back to all posts</a>
                </p>
            </section>
        );
    }
    if (!post) return <Loading what="the post" />;
    return (
        <>
            <article className="post">
                <h1>{post.title}</h1>
                <p className="meta">
                    by {post.author.username} · <DateStamp iso={post.createdAt} />
                </p>
                {post.imageId !== null && <PostImage imageId={post.imageId} />}
                {/* The body is plain text; CSS keeps its line breaks (white-space: pre-line). */}
                <div className="post__body">{post.body}</div>
            </article>
            <Comments postId={post.id} session={session} />
        </>
    );
}

function PostImage({ imageId }: { imageId: number }) {
    return (
        <figure className="post__figure">
            <a href={api.imageUrl(imageId)}>
                <img alt="Attached to the post, opens full size" src={api.thumbnailUrl(imageId)} width={320} height={240} />
            </a>
        </figure>
    );
}

function Comments({ postId, session }: { postId: number; session: Session | null }) {
    const [comments, setComments] = useState<Comment[] | null>(null);
    const [error, setError] = useState<string | null>(null);
    const load = useCallback(
        () =>
            api.listComments(postId).then(
                (r) => setComments(r.comments),
                (e: Error) => setError(e.message),
            ),
        [postId],
    );
    useEffect(() => {
        void load();
    }, [load]);
    return (
        <section className="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">Comments{comments ? ` (${comments.length})` : ""}</h2>
            <ErrorLine error={error} />
            {!comments && !error && <Loading what="comments" />}
            {comments?.length === 0 && <p className="muted">No comments yet.</p>}
            {comments && comments.length > 0 && (
                <ol className="comment-list" aria-label="comments">
                    {comments.map((c) => (
                        <li key={c.id} className="comment">
                            <p className="meta">
                                <strong className="comment__author">{c.author.username}</strong> · <DateStamp iso={c.createdAt} withTime />
                            </p>
                            <p className="comment__body">{c.body}</p>
                        </li>
                    ))}
                </ol>
            )}
            {session ? (
                <CommentForm postId={postId} session={session} onAdded={load} />
            ) : (
                <p>
                    <a href="#/login">Log in</a> to comment.
                </p>
            )}
        </section>
    );
}

interface CommentFormProps {
    postId: number;
    session: Session;
    onAdded: () => Promise<void>;
}

function CommentForm({ postId, session, onAdded }: CommentFormProps) {
    const [draft, setDraft] = useState("");
    const [error, setError] = useState<string | null>(null);
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        try {
            await api.addComment(session, postId, draft);
            setDraft("");
            setError(null);
            await onAdded();
        } catch (e) {
            setError((e as Error).message);
        }
    };
    return (
        <form className="form" onSubmit={submit}>
            <div className="field">
                <label className="field__label" htmlFor="comment-draft">
                    Your comment
                </label>
                <textarea id="comment-draft" name="comment" rows={3} value={draft} onChange={(e) => setDraft(e.target.value)} required />
            </div>
            <ErrorLine error={error} />
            <div className="actions">
                <button type="submit" className="button button--primary">
                    Comment
                </button>
            </div>
        </form>
    );
}
