// Reads the OpenAPI specification a product offers for download (Keyfactor CipherInsights, seed
// 003: its authentication header is not public): JSON or YAML. From it Keybridge takes how the key
// is sent (components.securitySchemes: an API key in a header, HTTP bearer or basic), the base
// address (servers), and the GET operations that need no parameter, which make good test requests.
import type { OpenApiSummary } from '../../../shared/types';
import { YAML_LIMITS, type YamlRefusal } from './yaml-limits';

export type ReadSpec = { ok: true; summary: OpenApiSummary } | { ok: false; message: string };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

const NOT_A_SPEC = 'This is not an OpenAPI specification (no "openapi" field). Download it again from the API Keys page.';
// Digits grouped by hand: toLocaleString loads the locale data (milliseconds at every start).
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** Why a YAML specification is not read: what it exceeds, and what the admin can do. */
const REFUSED: Record<YamlRefusal, string> = {
  'too-many-tokens': `This YAML specification is too large to read safely: it has more than ${count(YAML_LIMITS.tokens)} YAML tokens (keys, values and punctuation; a typical 5 MiB specification has fewer). Save or download it as JSON, which Keybridge reads up to 5 MiB.`,
  'too-deep': `This YAML specification is nested more than ${YAML_LIMITS.depth} levels deep, more than Keybridge reads. Save or download it as JSON.`,
  'aliases-too-large': `This YAML specification's aliases (*name) would expand to more than ${count(YAML_LIMITS.expandedValues)} values, more than Keybridge reads. Save or download it as JSON.`,
};

/** The document as plain values; JSON.parse and the bounded YAML reader both take time in step with its size. */
async function parseDocument(text: string): Promise<{ spec: Json | null } | { refused: string }> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return { spec: isObject(value) ? value : null };
    } catch {
      return { spec: null };
    }
  }
  // yaml is loaded only for a YAML specification (most starts never need it).
  const { parseBoundedYaml } = await import('./bounded-yaml');
  const read = await parseBoundedYaml(trimmed);
  if (read.ok) return { spec: isObject(read.value) ? read.value : null };
  return read.refused ? { refused: REFUSED[read.refused] } : { spec: null };
}

/** The first security scheme Keybridge can use, in the order the specification requires them. */
function authOf(spec: Json): OpenApiSummary['auth'] {
  const schemes = isObject(spec.components) && isObject(spec.components.securitySchemes) ? spec.components.securitySchemes : {};
  const required = Array.isArray(spec.security) ? spec.security.flatMap((s) => (isObject(s) ? Object.keys(s) : [])) : [];
  const names = [...new Set([...required, ...Object.keys(schemes)])];
  for (const name of names) {
    const scheme = schemes[name];
    if (!isObject(scheme)) continue;
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(scheme.name)) {
      return { method: 'header', headerName: scheme.name };
    }
    if (scheme.type === 'http' && typeof scheme.scheme === 'string' && scheme.scheme.toLowerCase() === 'bearer') return { method: 'bearer' };
    if (scheme.type === 'http' && typeof scheme.scheme === 'string' && scheme.scheme.toLowerCase() === 'basic') return { method: 'basic' };
  }
  return null;
}

/** GET operations without required parameters (a path with {placeholders} has some). */
function testEndpoints(spec: Json): string[] {
  const paths = isObject(spec.paths) ? spec.paths : {};
  const found: string[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/') || path.includes('{') || !isObject(item) || !isObject(item.get)) continue;
    const parameters = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(item.get.parameters) ? item.get.parameters : [])];
    if (parameters.some((p) => isObject(p) && p.required === true)) continue;
    found.push(path);
  }
  return found.slice(0, 50);
}

export async function readOpenApi(text: string): Promise<ReadSpec> {
  const parsed = await parseDocument(text);
  if ('refused' in parsed) return { ok: false, message: parsed.refused };
  const { spec } = parsed;
  if (!spec || (typeof spec.openapi !== 'string' && typeof spec.swagger !== 'string')) return { ok: false, message: NOT_A_SPEC };
  const servers = Array.isArray(spec.servers) ? spec.servers.filter(isObject).map((s) => s.url).filter((u): u is string => typeof u === 'string') : [];
  const server = servers.find((u) => /^https?:\/\//i.test(u)) ?? null;
  const title = isObject(spec.info) && typeof spec.info.title === 'string' ? spec.info.title.slice(0, 200) : 'OpenAPI specification';
  return { ok: true, summary: { title, auth: authOf(spec), serverUrl: server, endpoints: testEndpoints(spec) } };
}
