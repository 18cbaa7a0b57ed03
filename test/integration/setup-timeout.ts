// jest ignores `testTimeout` inside a project entry: integration tests get their longer timeout here.
jest.setTimeout(180_000);
