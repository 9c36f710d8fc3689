import { api, done, plain } from './client';
import { endSession, refreshToken } from './session';

/** Sign out here: the refresh token is revoked (best effort: the tokens are forgotten either way). */
export async function signOut() {
  const token = refreshToken();
  try {
    if (token) await done(plain.auth.logout.$post({ json: { refreshToken: token } }));
  } finally {
    endSession('signed-out');
  }
}

/** Sign out on every device: the API revokes every session of the user, this one included. */
export async function signOutEverywhere() {
  await done(api.me['logout-all'].$post());
  endSession('everywhere');
}
