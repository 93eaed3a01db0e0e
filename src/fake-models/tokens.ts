// One token approximation for every family and every count the emulator reports: a token per 4 characters
// (rounded up), at least one for non-empty text. Real tokenizers differ per model; tests need consistency, not parity.
export const countTokens = (text: string): number => (text.length ? Math.ceil(text.length / 4) : 0);
