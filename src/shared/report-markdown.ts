// Markdown that shows anyone's words as the text they are: the escaping of the copied report
// (report-text.ts). Nothing of what a server said (its message, certificate names, Server header)
// may become a link, an image, HTML, a heading or a table in a ticket: names and codes go into code
// spans (markdownCode), sentences are escaped (markdownText). Pure: no node, no DOM.

/** One line: a line break (there should be none) would let the text start a block of its own. */
const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ');

/**
 * A Markdown code span that shows `text` exactly: its fence is one backtick longer than the longest
 * run of backticks inside, with a space either side when the text starts or ends with a backtick or
 * a space (CommonMark takes one space off each side). Nothing in it is a link, HTML or markup.
 */
export function markdownCode(text: string): string {
  const content = oneLine(text);
  if (content.trim() === '') return content === '' ? '' : `\`${content}\``;
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

// What renderers make a link of by themselves (GFM's autolinks): an address with a scheme, www., an
// e-mail address (up to a space, a quote, < > or a backtick, without trailing punctuation); and an
// @mention, which notifies someone in a ticket.
const AUTOLINKABLE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s"'<>`]*[^\s"'<>`.,:;!?)\]*_~]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@[\w-]+/giu;
// Characters that start Markdown or HTML anywhere in a line: escapes, code, emphasis, strikethrough,
// links and images, HTML and autolinks, entities, table cells, math. An _ between letters or digits
// starts nothing (TLS_AES_256 stays readable).
const INLINE = /[\\`*~[\]<>&|$!#]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Markdown for a sentence that may hold anyone's words: every character that could start markup is
 * backslash-escaped (CommonMark shows an escaped punctuation character as itself), what a renderer
 * would link by itself goes into a code span, and a line cannot start a heading, a quote, a list, a
 * table or a code block. Shown, it reads exactly as `text`.
 */
export function markdownText(text: string): string {
  const line = oneLine(text).replace(/^[ \t]+/, '');
  let out = '';
  let at = 0;
  for (const match of line.matchAll(AUTOLINKABLE)) {
    out += line.slice(at, match.index).replace(INLINE, '\\$&') + markdownCode(match[0]);
    at = match.index + match[0].length;
  }
  out += line.slice(at).replace(INLINE, '\\$&');
  // At the start of a line: - + = (lists, setext underlines), > (quotes), 1. or 1) (ordered lists).
  return out.replace(/^[-+=>]/, '\\$&').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}
