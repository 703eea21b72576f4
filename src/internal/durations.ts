/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;

/** Milliseconds in a day of 24 hours (civil days in a time zone may be longer or shorter: see `schedule/`). */
export const DAY_MS = 86_400_000;
