import OpenAI from 'openai';
import { startEmulator } from 'bedrock-batch-emulator/harness';

// API-key requests carry no region: they run in the default region. AWS's examples use us-west-2.
const emulator = await startEmulator({ defaultRegion: 'us-west-2' });
try {
  // AWS's example with its base URL (https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1) swapped.
  const client = new OpenAI({ baseURL: emulator.openaiBaseURL, apiKey: 'any Bedrock API key' });
  const completion = await client.chat.completions.create({
    model: 'openai.gpt-oss-20b-1:0',
    messages: [
      { role: 'developer', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello!' },
    ],
  });
  console.log(completion.choices[0].message);

  // Streams end with `data: [DONE]`; the text is the same as the whole answer's (and Converse's).
  const stream = await client.chat.completions.create({ model: 'openai.gpt-oss-20b-1:0', messages: [{ role: 'user', content: 'Hello!' }], stream: true });
  for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');

  // The Responses API, synchronous as on the runtime host.
  const response = await client.responses.create({ model: 'openai.gpt-oss-20b-1:0', input: 'Hello!' });
  console.log(`\n${response.status}: ${response.output_text}`);
} finally {
  await emulator.stop();
}
