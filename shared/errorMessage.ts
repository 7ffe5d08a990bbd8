// The one way to turn a caught value into text: `catch (error)` gives `unknown`, and a thrown non-Error (a string,
// a rejected promise's reason) must still say something rather than print "undefined".

/** The message of a caught value: an Error's message, anything else as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
