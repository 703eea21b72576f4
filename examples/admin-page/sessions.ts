/**
 * Demo sessions: a random session id in an HTTP-only cookie, the member acting as the admin, and
 * the CSRF token every form carries (a synchronizer token, compared in constant time).
 */
import { timingSafeEqual } from 'node:crypto';

export type Session = { id: string; csrfToken: string; memberId: string | null };

export const SESSION_COOKIE = 'cx_admin_session';

function randomToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

/** Sessions in this process's memory: enough for a demo; a real app keeps them in its own store. */
export function sessionStore() {
  const sessions = new Map<string, Session>();
  return {
    /** The session of this cookie, or a new anonymous one. */
    open(cookie: string | undefined): Session {
      const known = cookie === undefined ? undefined : sessions.get(cookie);
      if (known) return known;
      const session: Session = { id: randomToken(), csrfToken: randomToken(), memberId: null };
      sessions.set(session.id, session);
      return session;
    },
    /** Signs in under a fresh session id (no fixation) and answers it. */
    signIn(previous: Session, memberId: string): Session {
      sessions.delete(previous.id);
      const session: Session = { id: randomToken(), csrfToken: randomToken(), memberId };
      sessions.set(session.id, session);
      return session;
    },
    signOut(session: Session): void {
      sessions.delete(session.id);
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStore>;

/** Whether a form's token is the session's (constant-time, so its bytes cannot be guessed one by one). */
export function csrfTokenMatches(session: Session, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
