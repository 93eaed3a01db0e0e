// One token approximation for every family and every count the emulator reports: a token per 4 characters
// (rounded up), at least one for non-empty text. Real tokenizers differ per model; tests need consistency, not parity.
export const countTokens = (text: string): number => tokensForLength(text.length);
/** The same count for a text of `length` characters, for callers that track the length of text still being built. */
export const tokensForLength = (length: number): number => (length ? Math.ceil(length / 4) : 0);
