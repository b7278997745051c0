// What "one line of printable text" means wherever text from people or from a repository is shown or stored: in a
// commit, a release record, a terminal, a job summary. Control characters (terminal escapes, CR/LF, C1 codes), line
// and paragraph separators and bidirectional overrides become spaces, runs of white space one space.
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** The text as one line a terminal or a Markdown renderer shows as it reads: nothing it can interpret remains. */
export function printableLine(text: string): string {
  return text.toWellFormed().replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
}
