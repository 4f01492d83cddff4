// The blog's shell: the header (site name, navigation, who is signed in) and the page the URL hash names.
// Navigation is by URL hash (#/posts/12), so any path the gateway hands nginx falls back to index.html.
import { useEffect, useState } from "react";
import type { Session } from "./api";
import { LoginPage, NewPostPage } from "./forms";
import { PostList } from "./PostList";
import { PostPage } from "./PostPage";

function useHashRoute(): string {
    const [hash, setHash] = useState(window.location.hash || "#/");
    useEffect(() => {
        const onChange = () => {
            setHash(window.location.hash || "#/");
            // A hash change keeps the scroll position; a new page should start at its top.
            window.scrollTo(0, 0);
        };
        window.addEventListener("hashchange", onChange);
        return () => window.removeEventListener("hashchange", onChange);
    }, []);
    return hash;
}

function loadSession(): Session | null {
    const stored = sessionStorage.getItem("session");
    return stored ? (JSON.parse(stored) as Session) : null;
}

export function App() {
    const route = useHashRoute();
    const [session, setSession] = useState<Session | null>(loadSession);
    const signIn = (next: Session | null) => {
        if (next) sessionStorage.setItem("session", JSON.stringify(next));
        else sessionStorage.removeItem("session");
        setSession(next);
    };
    return (
        <>
            <SiteHeader route={route} session={session} onSignOut={() => signIn(null)} />
            <main className="page">
                <Page route={route} session={session} onSignedIn={signIn} />
            </main>
        </>
    );
}

interface PageProps {
    route: string;
    session: Session | null;
    onSignedIn: (session: Session) => void;
}

function Page({ route, session, onSignedIn }: PageProps) {
    const postMatch = route.match(/^#\/posts\/(\d+)$/);
    if (postMatch) return <PostPage id={Number(postMatch[1])} session={session} />;
    if (route === "#/login") return <LoginPage onSignedIn={onSignedIn} />;
    if (route === "#/new") return <NewPostPage session={session} />;
    const pageMatch = route.match(/^#\/page\/(\d+)$/);
    return <PostList page={pageMatch ? Math.max(1, Number(pageMatch[1])) : 1} signedIn={session !== null} />;
}

interface SiteHeaderProps {
    route: string;
    session: Session | null;
    onSignOut: () => void;
}

function SiteHeader({ route, session, onSignOut }: SiteHeaderProps) {
    return (
        <header className="site-header">
            <div className="site-header__inner">
                <a className="site-header__name" href="#/">
                    Blog
                </a>
                <nav aria-label="Main" className="site-nav">
                    <ul>
                        <NavLink href="#/" route={route} label="Posts" />
                        {session ? (
                            <NavLink href="#/new" route={route} label="Write a post" />
                        ) : (
                            <NavLink href="#/login" route={route} label="Log in or register" />
                        )}
                    </ul>
                </nav>
                {session && (
                    <div className="account">
                        <span data-testid="whoami">
                            Signed in as <strong>{session.username}</strong>
                        </span>
                        <button type="button" className="button button--small" onClick={onSignOut}>
                            Log out
                        </button>
                    </div>
                )}
            </div>
        </header>
    );
}

function NavLink({ href, route, label }: { href: string; route: string; label: string }) {
    return (
        <li>
            <a href={href} aria-current={route === href ? "page" : undefined}>
                {label}
            </a>
        </li>
    );
}
