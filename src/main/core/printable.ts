// Text that reads as what it is. INVISIBLE: bidirectional controls (RLO and the rest), zero-width and
// other invisible format characters, which make a name, an address or a server's words read
// otherwise than they are; taken out of reports (connection-test/redact.ts), names from file names
// (secrets/token-file.ts) and the text of messages and native dialogs (`printable`).
export const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufff8]/gu;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text from a file name or an admin's field, for a message or a dialog: no control or invisible characters, bounded. */
export function printable(text: string, max = 120): string {
  const shown = text.replace(CONTROLS, '').replace(INVISIBLE, '');
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}
