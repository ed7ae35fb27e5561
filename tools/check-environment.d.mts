// Types of check-environment.mjs (plain JavaScript so that it runs on an old Node).
export function requiredNode(): string;
export function nodeProblem(version?: string, required?: string): string | null;
export function findBrowser(options?: {
  env?: Record<string, string | undefined>;
  platform?: string;
  exists?: (file: string) => boolean;
  playwrightChromium?: string | null;
}): { path: string; problem?: undefined } | { path?: undefined; problem: string };
