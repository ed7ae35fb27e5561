// The limits of the bounded YAML reader, apart from the reader itself: messages name them without
// loading yaml (the reader is imported only when a YAML specification is read, which keeps the
// CLI's start short).
export interface YamlLimits {
  readonly tokens: number;
  readonly depth: number;
  readonly expandedValues: number;
}

export const YAML_LIMITS: YamlLimits = {
  /** Lexer tokens (keys, values, indicators, line ends). A typical 5 MiB specification has about 1,450,000. */
  tokens: 1_500_000,
  /** Nesting of mappings and sequences. Specifications seldom pass 30. */
  depth: 200,
  /** Values once aliases are counted at their full size (a document without aliases stays below its token count). */
  expandedValues: 1_500_000,
};

export type YamlRefusal = 'too-many-tokens' | 'too-deep' | 'aliases-too-large';
