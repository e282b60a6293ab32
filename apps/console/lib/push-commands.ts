/**
 * The remote a user adds to push with a token: `http://push:<token>@host/git/org/project.git`.
 * Any username works; the token is the password, so git never prompts.
 */
export function remoteWithToken(gitRemoteUrl: string, token: string): string {
  const url = new URL(gitRemoteUrl);
  url.username = 'push';
  url.password = token;
  return url.toString();
}

export function pushCommands(remote: string, branch = 'main'): string {
  return `git remote add slipway ${remote}\ngit push slipway ${branch}`;
}
