// The environment handed to a child process (the browser launcher, Chromium for PDFs): the parent's, without the
// tool's secrets. Passwords may come in through RELAY_TESTER_PASSWORD_<ACCOUNT>; a child has no use for them and
// whatever it starts in turn would inherit them.

/** Variables that may hold a secret of this tool. */
export function isSecretVariable(name: string): boolean {
  return /^RELAY_TESTER_PASSWORD_/i.test(name);
}

export function childEnvironment(environment: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !isSecretVariable(name)));
}
