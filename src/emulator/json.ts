// JSON bodies with a nesting limit. JSON.parse itself copes with any depth, but what walks the value afterwards
// (JSON.stringify, validation against the service model, the fake models) recurses, and a body nested 100,000
// levels deep overflowed the stack: a 500 instead of the 400 a malformed body gets.
export const MAX_JSON_DEPTH = 1000;

/** JSON.parse that also refuses arrays and objects nested deeper than `maxDepth`, with a SyntaxError. */
export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  // A text can only nest as deep as it has characters, so short bodies (nearly all) skip the scan.
  if (text.length > maxDepth) checkDepth(text, maxDepth);
  return JSON.parse(text);
}

function checkDepth(text: string, maxDepth: number) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw new SyntaxError(`JSON nested deeper than ${maxDepth} levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
