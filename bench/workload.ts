// The benchmark's users: USER_COUNT distinct valid usernames (letters only, mixed case as clients write them) and a
// valid past date of birth for each.

/** As many users as real clients spread their writes over: 10,000 (issue 12's measurements). */
export const USER_COUNT = 10_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `Userbaa`, `Userbab`, ...: bijective base-26, so every index gives a different name. */
export function usernameFor(index: number): string {
  let name = '';
  let n = index;
  do {
    name = LETTERS[n % 26]! + name;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `User${name}`;
}

/** A date in 1950..1999 that exists in every year's calendar (day 1..28). */
export function dateOfBirthFor(index: number): string {
  const year = 1950 + (index % 50);
  const month = 1 + (index % 12);
  const day = 1 + (index % 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
