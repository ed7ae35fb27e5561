/** An expected refusal: its code is stable and its message is safe to show (never holds a secret). */
export class KeybridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeybridgeError';
  }
}
