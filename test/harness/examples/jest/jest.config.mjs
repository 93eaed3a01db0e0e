// Run with: node --experimental-vm-modules node_modules/jest/bin/jest.js (jest loads ES modules in that mode only)
export default { globalSetup: './global-setup.mjs', globalTeardown: './global-teardown.mjs' };
