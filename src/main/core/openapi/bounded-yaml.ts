// YAML from outside (an OpenAPI specification the admin downloads or chooses), read in time and
// memory that grow in step with its size, and refused past fixed limits.
//
// yaml's own parse() compares each key of a mapping with every key before it (20,000 keys: 6 s;
// the 5 MiB Keybridge accepts: about an hour, with main frozen) and looks up each alias by a walk
// of the document's anchors (quadratic too). Here the lexer's tokens are counted and the nesting
// watched as they arrive, the document is composed without the pairwise key check, and one walk
// turns the nodes into plain values: duplicate keys found with a set per mapping, and an alias is
// the value its anchor already made (shared, never copied), whose size counts towards a limit.
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Lexer, Parser, type Document } from 'yaml';

import { YAML_LIMITS, type YamlLimits, type YamlRefusal } from './yaml-limits';

export type BoundedYaml = { ok: true; value: unknown } | { ok: false; refused?: YamlRefusal };

class Refused extends Error {
  constructor(readonly refusal: YamlRefusal) {
    super(refusal);
  }
}
/** Not YAML Keybridge reads (a syntax error, a duplicate key, an alias before its anchor). */
class Invalid extends Error {}

/** How often the reader lets other work run (a test under way, the window's calls): every this many tokens. */
const TOKENS_PER_TURN = 20_000;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads `text` as plain values. Asynchronous: the reader gives the event loop a turn every
 * TOKENS_PER_TURN tokens, so even the largest accepted specification never freezes main.
 */
export async function parseBoundedYaml(text: string, limits: YamlLimits = YAML_LIMITS): Promise<BoundedYaml> {
  try {
    const doc = await compose(text, limits);
    return { ok: true, value: toPlain(doc, limits) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refused: error.refusal };
    // Invalid, or anything yaml throws (a stack overflow included): not readable.
    return { ok: false };
  }
}

async function compose(text: string, limits: YamlLimits): Promise<Document.Parsed> {
  const parser = new Parser();
  // uniqueKeys off: toPlain finds duplicate keys in linear time instead.
  const composer = new Composer({ uniqueKeys: false });
  const docs: Document.Parsed[] = [];
  let count = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > limits.tokens) throw new Refused('too-many-tokens');
    for (const token of parser.next(lexeme)) docs.push(...composer.next(token));
    if (parser.stack.length > limits.depth) throw new Refused('too-deep');
    if (count % TOKENS_PER_TURN === 0) await nextTurn();
  }
  for (const token of parser.end()) docs.push(...composer.next(token));
  docs.push(...composer.end(true, text.length));
  const [doc] = docs;
  if (docs.length !== 1 || !doc || doc.errors.length > 0) throw new Invalid();
  return doc;
}

type PlainMap = Record<string, unknown>;
const isPlainMap = (value: unknown): value is PlainMap => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The document as plain values, as yaml's toJS() makes them (objects, arrays, scalars; `<<` merges where the schema has them). */
function toPlain(doc: Document.Parsed, limits: YamlLimits): unknown {
  // A YAML 1.1 document (%YAML 1.1) has `<<` merge keys; YAML 1.2, the default, has none.
  const mergeKeys = doc.schema.tags.some((tag) => tag.tag === 'tag:yaml.org,2002:merge' && tag.default);
  const isMergeKey = (key: unknown): boolean =>
    isScalar(key) && ((typeof key.value === 'symbol' && key.value.description === '<<') || (mergeKeys && key.value === '<<' && (!key.type || key.type === 'PLAIN')));
  const anchors = new Map<string, unknown>();
  const sizes = new WeakMap<object, number>();
  const sizeOf = (value: unknown): number => (typeof value === 'object' && value !== null ? (sizes.get(value) ?? 1) : 1);
  const grown = (size: number): number => {
    if (size > limits.expandedValues) throw new Refused('aliases-too-large');
    return size;
  };

  function convert(node: unknown, depth: number): unknown {
    if (depth > limits.depth) throw new Refused('too-deep');
    if (isAlias(node)) {
      // The last anchor of that name before the alias, as yaml resolves it; a collection still being
      // built is itself (a cycle, as in yaml), never a copy.
      if (!anchors.has(node.source)) throw new Invalid();
      return anchors.get(node.source);
    }
    if (isScalar(node)) {
      if (node.anchor) anchors.set(node.anchor, node.value);
      return node.value;
    }
    if (isSeq(node)) {
      const seq: unknown[] = [];
      if (node.anchor) anchors.set(node.anchor, seq);
      let size = 1;
      for (const item of node.items) {
        const value = isPair(item) ? pairMap(item, depth + 1) : convert(item, depth + 1);
        seq.push(value);
        size = grown(size + sizeOf(value));
      }
      sizes.set(seq, size);
      return seq;
    }
    if (isMap(node)) {
      const map: PlainMap = {};
      if (node.anchor) anchors.set(node.anchor, map);
      sizes.set(map, 1);
      const seen = new Set<unknown>();
      for (const pair of node.items) addPair(map, pair, seen, depth);
      return map;
    }
    if (isPair(node)) return pairMap(node, depth);
    if (node === null || node === undefined) return null;
    throw new Invalid();
  }

  function pairMap(pair: { key: unknown; value: unknown }, depth: number): PlainMap {
    const map: PlainMap = {};
    sizes.set(map, 1);
    addPair(map, pair, new Set(), depth);
    return map;
  }

  function addPair(map: PlainMap, { key, value }: { key: unknown; value: unknown }, seen: Set<unknown>, depth: number): void {
    if (isMergeKey(key)) {
      merge(map, convert(value, depth + 1));
      return;
    }
    if (isScalar(key)) {
      // A duplicate as yaml's uniqueKeys sees it: the same scalar value (NaN never equals itself).
      const raw = key.value;
      if (!(typeof raw === 'number' && Number.isNaN(raw))) {
        if (seen.has(raw)) throw new Invalid();
        seen.add(raw);
      }
    }
    const name = keyName(convert(key, depth + 1));
    const plain = convert(value, depth + 1);
    if (Object.hasOwn(map, name) || name === '__proto__') {
      Object.defineProperty(map, name, { value: plain, writable: true, enumerable: true, configurable: true });
    } else {
      map[name] = plain;
    }
    sizes.set(map, grown(sizeOf(map) + sizeOf(plain)));
  }

  /** `<<: *base` or `<<: [*a, *b]`: keys not yet in the mapping, earlier sources first (YAML 1.1 merge). */
  function merge(map: PlainMap, source: unknown): void {
    for (const from of Array.isArray(source) ? source : [source]) {
      if (!isPlainMap(from)) throw new Invalid();
      for (const name of Object.keys(from)) {
        if (Object.hasOwn(map, name)) continue;
        Object.defineProperty(map, name, { value: from[name], writable: true, enumerable: true, configurable: true });
        sizes.set(map, grown(sizeOf(map) + sizeOf(from[name])));
      }
    }
  }

  function keyName(key: unknown): string {
    if (key === null || key === undefined) return '';
    if (typeof key !== 'object') return String(key);
    // A collection as a key (never in OpenAPI): written out as JSON, if small.
    if (sizeOf(key) > 100) throw new Invalid();
    return JSON.stringify(key);
  }

  return convert(doc.contents, 0);
}
