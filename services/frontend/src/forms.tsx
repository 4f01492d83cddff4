// The two forms that change something: log in / register, and write a post (with an optional image).
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { api, type Session } from "./api";
import { ErrorLine } from "./ui";

/** What a field hands its control: the id its label points at, and the hint's id for aria-describedby. */
interface ControlIds {
    id: string;
    describedBy: string | undefined;
}

interface FieldProps {
    label: string;
    /** The rule the service will enforce, shown up front so a rejection is not the first the reader hears of it. */
    hint?: string;
    children: (ids: ControlIds) => ReactNode;
}

/** A label tied to its control by id, and a hint outside the label so it is not read as part of the field's name. */
function Field({ label, hint, children }: FieldProps) {
    const id = useId();
    const hintId = `${id}-hint`;
    return (
        <div className="field">
            <label className="field__label" htmlFor={id}>
                {label}
            </label>
            {hint && (
                <p id={hintId} className="field__hint">
                    {hint}
                </p>
            )}
            {children({ id, describedBy: hint ? hintId : undefined })}
        </div>
    );
}

export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
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
            setMessage(null);
            setError((e as Error).message);
        }
    };
    return (
        <section className="form-page">
            <h1>Log in or register</h1>
            {/* Enter in either field submits, and submitting logs in: registering is the rarer, explicit act. */}
            <form className="form" onSubmit={act("login")}>
                <Field label="Username" hint="3–32 characters: lowercase letters, digits and _">
                    {({ id, describedBy }) => (
                        <input
                            id={id}
                            name="username"
                            value={username}
                            onChange={(e) => setUsername(e.target.value)}
                            autoComplete="username"
                            autoCapitalize="none"
                            spellCheck={false}
                            aria-describedby={describedBy}
                        />
                    )}
                </Field>
                <Field label="Password" hint="At least 8 characters">
                    {({ id, describedBy }) => (
                        <input
                            id={id}
                            name="password"
                            type="password"
                            value={password}
                            onChange={(e) => setPassword(e.target.value)}
                            autoComplete="current-password"
                            aria-describedby={describedBy}
                        />
                    )}
                </Field>
                <div className="actions">
                    <button type="submit" className="button button--primary">
                        Log in
                    </button>
                    <button type="button" className="button" onClick={() => void act("register")()}>
                        Register
                    </button>
                </div>
                {message && (
                    <p role="status" className="notice notice--ok">
                        {message}
                    </p>
                )}
                <ErrorLine error={error} />
            </form>
        </section>
    );
}

export function NewPostPage({ session }: { session: Session | null }) {
    const [title, setTitle] = useState("");
    const [body, setBody] = useState("");
    const [file, setFile] = useState<File | null>(null);
    const [error, setError] = useState<string | null>(null);
    const [busy, setBusy] = useState(false);
    if (!session)
        return (
            <section className="form-page">
                <h1>Write a post</h1>
                <p>
                    <a href="#/login">Log in</a> to write a post.
                </p>
            </section>
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
        <section className="form-page">
            <h1>Write a post</h1>
            <form className="form" onSubmit={submit}>
                <Field label="Title">
                    {({ id }) => (
                        <input id={id} name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
                    )}
                </Field>
                <Field label="Text">
                    {({ id }) => <textarea id={id} name="body" rows={10} value={body} onChange={(e) => setBody(e.target.value)} required />}
                </Field>
                <Field label="Image" hint="Optional: JPEG, PNG, WebP or GIF">
                    {({ id, describedBy }) => (
                        <input
                            id={id}
                            name="image"
                            type="file"
                            accept="image/jpeg,image/png,image/webp,image/gif"
                            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                            aria-describedby={describedBy}
                        />
                    )}
                </Field>
                <ErrorLine error={error} />
                <div className="actions">
                    <button type="submit" className="button button--primary" disabled={busy}>
                        {busy ? "Publishing…" : "Publish"}
                    </button>
                </div>
            </form>
        </section>
    );
}
