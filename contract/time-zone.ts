// The time-zone check the service runs on TZ_NAME at startup and the environment settings run at synth, so a zone
// that would crash-loop the pods fails the build instead.

/** True when `timeZone` names a zone this runtime knows (IANA names such as `Europe/Paris`, or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** What a valid zone looks like, for error messages. */
export const TIME_ZONE_FORMAT = 'an IANA time zone such as UTC or Europe/Paris';
