// The libraries the pages load as classic scripts from /assets/vendor/ (window globals).
interface Window {
  L: any;
  Chart: any;
  DOMPurify: { sanitize(html: string, options: Record<string, unknown>): DocumentFragment };
  topojson: { feature(topology: unknown, object: unknown): { features: any[] } };
  SwaggerUIBundle: (options: Record<string, unknown>) => any;
  consoleUi: any;
}
