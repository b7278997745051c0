// The one helper every rule table goes through: each row is a named case, run as its own test, so a failing row
// names itself and a table reads like the rule's specification.

export interface RuleCase {
  /** The behaviour the row shows, as a sentence. */
  readonly name: string;
}

export function ruleTable<C extends RuleCase>(
  title: string,
  cases: readonly C[],
  check: (row: C) => void | Promise<void>,
): void {
  describe(title, () => {
    test.each(cases.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
      await check(row);
    });
  });
}
