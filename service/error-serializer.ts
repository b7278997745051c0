// How an error appears in a log line, everywhere: its type, message, code and a short stack, with anything shaped
// like a date masked. Never the error's other properties: a driver hangs whole objects on its errors (pg-pool sets
// `err.client`, carrying the database user, host, backend PID and the query-cancel secret key).
export interface LoggedError {
  readonly type: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  readonly cause?: LoggedError;
}

/** Frames kept after the message line: enough to find the throwing code, not a page per line. */
const STACK_FRAMES = 6;
/** Causes followed: a wrapped error's cause says what really failed; further down is rarely worth the bytes. */
const CAUSE_DEPTH = 2;

/** A driver or ORM message can quote a query's arguments: a date of birth must never reach a log. */
const maskDates = (text: string): string => text.replace(/\d{4}-\d{2}-\d{2}/g, '####-##-##');

export function serializeError(value: unknown, depth = 0): LoggedError {
  if (!(value instanceof Error)) {
    return { type: typeof value, message: typeof value === 'string' ? maskDates(value) : `a thrown ${typeof value}` };
  }
  const code = (value as { code?: unknown }).code;
  const stack = value.stack
    ?.split('\n')
    .slice(0, STACK_FRAMES + 1)
    .join('\n');
  return {
    type: value.name,
    message: maskDates(value.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(stack ? { stack: maskDates(stack) } : {}),
    ...(value.cause !== undefined && depth < CAUSE_DEPTH ? { cause: serializeError(value.cause, depth + 1) } : {}),
  };
}
