// The post list, one page at a time: the page number is in the URL (#/page/2) so a page can be bookmarked
// and the browser's back button walks back through the pages.
import { useEffect, useState } from "react";
import { api, type Post } from "./api";
import { excerpt } from "./format";
import { DateStamp, ErrorLine, Loading } from "./ui";

/** Posts per page; the blog service allows up to 100, and ten cards keep a phone's scroll short. */
export const POSTS_PER_PAGE = 10;

export const pageHref = (page: number) => (page === 1 ? "#/" : `#/page/${page}`);

interface ListPage {
    posts: Post[];
    total: number;
    page: number;
    limit: number;
}

export function PostList({ page, signedIn }: { page: number; signedIn: boolean }) {
    const [result, setResult] = useState<ListPage | null>(null);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
        let current = true;
        setResult(null);
        setError(null);
        // A late answer for a page the reader already left must not overwrite the page they are on.
        api.listPosts(page, POSTS_PER_PAGE).then(
            (r) => current && setResult(r),
            (e: Error) => current && setError(e.message),
        );
        return () => {
            current = false;
        };
    }, [page]);
    return (
        <section aria-labelledby="posts-heading">
            <h1 id="posts-heading">Posts</h1>
            <ErrorLine error={error} />
            {!result && !error && <Loading what="posts" />}
            {result && <ListBody result={result} signedIn={signedIn} />}
        </section>
    );
}

function ListBody({ result, signedIn }: { result: ListPage; signedIn: boolean }) {
    const pageCount = Math.max(1, Math.ceil(result.total / result.limit));
    if (result.total === 0) {
        return (
            <div className="empty">
                <p>No posts yet.</p>
                <p>{signedIn ? <a href="#/new">Write the first one</a> : <a href="#/login">Log in to write the first one</a>}</p>
            </div>
        );
    }
    if (result.posts.length === 0) {
        // An old bookmark or a hand-typed URL past the end: say so rather than show an empty page.
        return (
            <div className="empty">
                <p>
                    There is no page {result.page}: the posts fill {pageCount} {pageCount === 1 ? "page" : "pages"}.
                </p>
                <p>
                    <a href={pageHref(1)}>Go to the newest posts</a>
                </p>
            </div>
        );
    }
    return (
        <>
            <ul className="post-list">
                {result.posts.map((post) => (
                    <PostCard key={post.id} post={post} />
                ))}
            </ul>
            <Pagination page={result.page} pageCount={pageCount} />
        </>
    );
}

function PostCard({ post }: { post: Post }) {
    return (
        <li className="post-card">
            <div className="post-card__text">
                <h2 className="post-card__title">
                    {/* The link's ::after covers the whole card, so the thumbnail is clickable without a second link. */}
                    <a href={`#/posts/${post.id}`}>{post.title}</a>
                </h2>
                <p className="meta">
                    by {post.author.username} · <DateStamp iso={post.createdAt} />
                </p>
                <p className="post-card__excerpt">{excerpt(post.body)}</p>
            </div>
            {post.imageId !== null && (
                // Decorative here: the title next to it names the post, and the post page describes the image.
                <img className="post-card__thumb" src={api.thumbnailUrl(post.imageId)} alt="" width={320} height={240} loading="lazy" />
            )}
        </li>
    );
}

function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
    if (pageCount <= 1) return null;
    return (
        <nav className="pagination" aria-label="Pages of posts">
            {page > 1 ? (
                <a href={pageHref(page - 1)} rel="prev">
                    <span aria-hidden="true">← </span>Newer posts
                </a>
            ) : (
                <span />
            )}
            <p className="pagination__where" aria-live="polite">
                Page {page} of {pageCount}
            </p>
            {page < pageCount ? (
                <a href={pageHref(page + 1)} rel="next">
                    Older posts<span aria-hidden="true"> →</span>
                </a>
            ) : (
                <span />
            )}
        </nav>
    );
}
