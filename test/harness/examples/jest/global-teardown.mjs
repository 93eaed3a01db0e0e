// jest shares globalThis between globalSetup and globalTeardown (not with test files).
export default async function globalTeardown() {
  await globalThis.emulator.stop();
}
