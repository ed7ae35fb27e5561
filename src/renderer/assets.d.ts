// Files the renderer imports as assets: Vite answers their URL (a small file inlined as a data: URL,
// which the window's CSP allows for images; a larger one a file of the build, 'self').
declare module '*.svg' {
  const url: string;
  export default url;
}
