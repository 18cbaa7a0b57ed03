/** Closes what global-setup.ts opened. The loaded sample data stays for the next run. */
export default async function globalTeardown(): Promise<void> {
  const client = globalThis.__INGEST_TEST_CLIENT__;
  globalThis.__INGEST_TEST_CLIENT__ = undefined;
  await client?.close();
}
