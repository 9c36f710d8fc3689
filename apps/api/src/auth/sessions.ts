/**
 * What signing in and changing a password share: a new session (an access token and a stored refresh token), and a
 * wrong password counted against the account, which locks it and ends its sessions at the limit (whoever is guessing
 * may hold a stolen token as well).
 */
import type { ResolvedDeps } from '../env.js';
import { ProblemError } from '../problem.js';
import { hashToken, issueTimeAfter, newRefreshToken, revokeSessions, signAccessToken } from './tokens.js';

export async function issueSession(deps: ResolvedDeps, userId: string, tokensValidAfter: Date | null) {
  const { prisma, config } = deps;
  const now = issueTimeAfter(tokensValidAfter, deps.now());
  const accessToken = await signAccessToken(userId, config.jwtSecret, config.accessTtlSeconds, now);
  const refreshToken = newRefreshToken();
  const expiresAt = new Date(now.getTime() + config.refreshTtlSeconds * 1000);
  await prisma.refreshToken.create({ data: { userId, tokenHash: hashToken(refreshToken), expiresAt } });
  return { tokenType: 'Bearer' as const, accessToken, expiresIn: config.accessTtlSeconds, refreshToken, refreshExpiresAt: expiresAt.toISOString() };
}

/** Count a wrong password (an atomic increment: concurrent guesses cannot slip past the limit); at the limit, ACCOUNT_LOCKED. */
export async function countWrongPassword(deps: ResolvedDeps, userId: string, now: Date): Promise<void> {
  const { prisma, config } = deps;
  const after = await prisma.user.update({ where: { id: userId }, data: { failedLogins: { increment: 1 } }, select: { failedLogins: true } });
  if (after.failedLogins < config.maxFailedLogins) return;
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { failedLogins: 0, lockedUntil: new Date(now.getTime() + config.lockSeconds * 1000) } });
    await revokeSessions(tx, userId, now);
  });
  throw new ProblemError('ACCOUNT_LOCKED', { headers: { 'retry-after': String(config.lockSeconds) } });
}
