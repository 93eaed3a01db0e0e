// One token approximation for every family and every count the emulator reports: a token per 4 characters
// (rounded up), at least one for non-empty text. Real tokenizers differ per model; tests need consistency, not parity.
export const countTokens = (text: string): number => tokensForLength(text.length);
/** The same count for a text of `length` characters, for callers that track the length of text still being built. */
export const tokensForLength = (length: number): number => (length ? Math.ceil(length / 4) : 0);
/** The longest text, in characters, that counts as at most `tokens` tokens. */
export const lengthForTokens = (tokens: number): number => Math.max(0, Math.floor(tokens) * 4);
