/**
 * What a socket closed with 4001 (auth) needs before the one reconnect PROTOCOL §4 allows. A
 * ticket is single-use and short-lived: a 4001 after one usually means it was spent or late, not
 * that the login is gone, so the reconnect simply asks for a new ticket (and the ticket endpoint's
 * own 401 renews the token when that is what expired). A token in the URL (seed backend) is renewed
 * first when the client can renew it; a fixed host token cannot be, and is tried once more as is.
 */
export interface SocketReauthDeps {
  /** Whether the socket carries the token itself (`?token=`, seed backend) rather than a ticket. */
  tokenInUrl(): boolean;
  /** Whether the token can be renewed (a built-in login or a host `getToken`). */
  renewable(): boolean;
  /** Renews the token that was refused. */
  refresh(): Promise<void>;
}

/** Resolves when the socket may reconnect; rejects (AuthError) when the login is gone. */
export async function prepareSocketReauth(deps: SocketReauthDeps): Promise<void> {
  if (deps.tokenInUrl() && deps.renewable()) await deps.refresh();
}
