// How dates and post texts read on the page. Dates use the reader's own locale (the <time> element next to
// them keeps the exact instant), so nobody has to decode someone else's day/month order.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dayAndTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatDay = (iso: string): string => dayFormat.format(new Date(iso));
export const formatDayAndTime = (iso: string): string => dayAndTimeFormat.format(new Date(iso));

/** The start of a post's text on one line, cut at a word boundary so the list never ends on half a word. */
export function excerpt(body: string, maxLength = 180): string {
    const oneLine = body.replace(/\s+/g, " ").trim();
    if (oneLine.length <= maxLength) return oneLine;
    const cut = oneLine.slice(0, maxLength);
    const lastSpace = cut.lastIndexOf(" ");
    // A single very long word has no boundary worth waiting for: cut it where it is.
    const whole = lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut;
    return `${whole.replace(/[\s.,;:!?-]+$/, "")}…`;
}
