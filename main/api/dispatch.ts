// The single entry from any transport (Electron IPC, the browser host's WebSocket) into the service: validate the
// untrusted request, call its handler, and turn every failure into an ApiError value.
import {
  validateRequest,
  type ApiError,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
} from '../../shared/ipc.js';
import { errorMessage } from '../../shared/errorMessage.js';

export type Handlers = {
  [K in CommandName]: (request: CommandRequest<K>) => Promise<CommandResponse<K>>;
};

export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: ApiError };

export async function dispatch(handlers: Handlers, command: unknown, payload: unknown): Promise<DispatchResult> {
  const validated = validateRequest(command, payload);
  if (!validated.ok) return validated;
  try {
    const handler = handlers[validated.command] as (request: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(validated.payload) };
  } catch (error) {
    if (error instanceof ApiFailure) return { ok: false, error: { code: error.code, message: error.message } };
    return { ok: false, error: { code: 'failed', message: `${validated.command} failed: ${errorMessage(error)}` } };
  }
}
