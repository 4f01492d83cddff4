// Small pieces every page uses: the error line, a loading note, a date as a <time> element.
import { formatDay, formatDayAndTime } from "./format";

/** A failed request, in the service's own words; role="alert" so a screen reader announces it. */
export function ErrorLine({ error }: { error: string | null }) {
    return error ? (
        <p role="alert" className="notice notice--error">
            {error}
        </p>
    ) : null;
}

/** Shown while a request is in flight, so a slow API reads as "loading" rather than as "empty". */
export function Loading({ what }: { what: string }) {
    return (
        <p role="status" className="muted">
            Loading {what}…
        </p>
    );
}

interface DateProps {
    iso: string;
    /** Comments are often minutes apart, so they show the time as well; posts show the day only. */
    withTime?: boolean;
}

export function DateStamp({ iso, withTime = false }: DateProps) {
    return <time dateTime={iso}>{withTime ? formatDayAndTime(iso) : formatDay(iso)}</time>;
}
