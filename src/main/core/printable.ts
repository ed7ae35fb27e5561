// Text from a file name or an admin's field, as it may appear in a message or a native dialog:
// control, bidirectional and zero-width characters out (they can make text read otherwise than it
// is), bounded.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function printable(text: string, max = 120): string {
  const shown = text.replace(HIDDEN, '');
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}
