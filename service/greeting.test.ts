import { InMemoryUsersRepository } from '../test/support/in-memory-users';
import { UserNotFound, ValidationError } from './errors';
import { greet, rememberBirthday } from './greeting';

const today = () => ({ year: 2024, month: 6, day: 15 });
const deps = () => ({ users: new InMemoryUsersRepository(), today });

describe('remembering a birthday and greeting by it', () => {
  test('a remembered date of birth is greeted with the days to the next birthday', async () => {
    const d = deps();
    await rememberBirthday(d, 'Ada', { dateOfBirth: '1990-06-20' });
    expect(await greet(d, 'Ada')).toBe('Hello, Ada! Your birthday is in 5 day(s)');
  });

  test('on the birthday itself the greeting wishes a happy birthday', async () => {
    const d = deps();
    await rememberBirthday(d, 'ada', { dateOfBirth: '1990-06-15' });
    expect(await greet(d, 'ada')).toBe('Hello, ada! Happy birthday!');
  });

  test('one user whatever the case of the name, greeted by the name as asked', async () => {
    const d = deps();
    await rememberBirthday(d, 'ADA', { dateOfBirth: '1990-06-16' });
    expect(await greet(d, 'aDa')).toBe('Hello, aDa! Your birthday is in 1 day(s)');
  });

  test('a later date of birth replaces the earlier one', async () => {
    const d = deps();
    await rememberBirthday(d, 'ada', { dateOfBirth: '1990-06-20' });
    await rememberBirthday(d, 'ada', { dateOfBirth: '1990-06-17' });
    expect(await greet(d, 'ada')).toBe('Hello, ada! Your birthday is in 2 day(s)');
  });

  test('a user never remembered is not found', async () => {
    await expect(greet(deps(), 'nobody')).rejects.toBeInstanceOf(UserNotFound);
  });

  test.each([
    ['a date of birth of today', 'ada', { dateOfBirth: '2024-06-15' }],
    ['a date that does not exist', 'ada', { dateOfBirth: '2023-02-29' }],
    ['a username with a digit', 'ada1', { dateOfBirth: '1990-06-20' }],
  ])('%s is refused and nothing is stored', async (_case, name, body) => {
    const d = deps();
    await expect(rememberBirthday(d, name, body)).rejects.toBeInstanceOf(ValidationError);
    expect(await d.users.findDateOfBirth(name)).toBeUndefined();
  });
});
