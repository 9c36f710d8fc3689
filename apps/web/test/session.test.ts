import { afterEach, describe, expect, it } from 'vitest';
import { currentAccessToken, endSession, renewalMargin, storeTokens } from '../src/api/session';

const now = Date.parse('2027-03-10T08:00:00.000Z');
const S = 1000;
const store = (expiresIn: number) => storeTokens({ accessToken: 'access', expiresIn, refreshToken: 'refresh' }, now);

afterEach(() => endSession('signed-out'));

describe('renewalMargin', () => {
  it('is 15 s for ordinary lifetimes and a quarter of a short one', () => {
    expect(renewalMargin(900)).toBe(15);
    expect(renewalMargin(60)).toBe(15);
    expect(renewalMargin(40)).toBe(10);
    expect(renewalMargin(15)).toBe(3.75);
    expect(renewalMargin(4)).toBe(1);
  });
});

describe('the access token', () => {
  it('is renewed 15 s before a long lifetime ends', () => {
    store(900);
    expect(currentAccessToken(now + 884 * S)).toBe('access');
    expect(currentAccessToken(now + 885 * S)).toBeNull();
  });

  it('is usable on arrival when its lifetime is 15 s or less', () => {
    store(15);
    expect(currentAccessToken(now)).toBe('access');
    expect(currentAccessToken(now + 11 * S)).toBe('access');
    expect(currentAccessToken(now + 11.25 * S)).toBeNull();
    store(8);
    expect(currentAccessToken(now + 5 * S)).toBe('access');
    expect(currentAccessToken(now + 6 * S)).toBeNull();
  });
});
