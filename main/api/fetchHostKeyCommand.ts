// The service's fetchHostKey command (shared/ipc.ts): the request is already validated; a failure to read a key is
// the user's problem to see ("no SSH server answered"), not an internal error.
import type { CommandRequest, CommandResponse } from '../../shared/ipc.js';
import { fetchHostKey } from '../vantage/fetchHostKey.js';
import { ApiFailure } from './dispatch.js';

export async function fetchHostKeyCommand({
  host,
  port,
}: CommandRequest<'fetchHostKey'>): Promise<CommandResponse<'fetchHostKey'>> {
  try {
    return await fetchHostKey(host, port);
  } catch (error) {
    throw new ApiFailure('failed', (error as Error).message);
  }
}
