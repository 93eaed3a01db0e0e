// The registry's public types. Data lives in data/*.json (loaded by catalog.ts); lookups in lookup.ts.

/** Request/response body format family: one fake-model module answers each. */
export type BodyFamily =
  | 'anthropic-messages' // Claude 3 and later (Messages API)
  | 'anthropic-text' // Claude 2.x and Instant (Text Completions)
  | 'titan-text'
  | 'titan-embed-text-v1'
  | 'titan-embed-text-v2'
  | 'titan-embed-image' // Titan Multimodal Embeddings G1
  | 'titan-image' // Titan Image Generator
  | 'nova' // Amazon Nova messages-v1 (Nova 1, Premier, Nova 2 with reasoningConfig)
  | 'nova-embed' // Amazon Nova Multimodal Embeddings
  | 'llama' // Meta Llama 2/3/3.x prompt body
  | 'mistral-prompt' // Mistral 7B, Mixtral, Large 24.02, Small: {prompt} -> {outputs[]}
  | 'mistral-chat' // Mistral Large 24.07: {messages} -> {choices[]}
  | 'cohere-command' // Command, Command Light
  | 'cohere-command-r' // Command R, R+
  | 'cohere-embed' // Embed English/Multilingual v3
  | 'cohere-embed-v4'
  | 'ai21-j2' // Jurassic-2
  | 'ai21-jamba' // Jamba-Instruct, Jamba 1.5 (chat completions)
  | 'stability-sdxl' // Stable Diffusion XL text-to-image
  | 'openai-chat' // OpenAI Chat Completions body: gpt-oss, Qwen3, DeepSeek V3.1
  | 'deepseek-r1'; // DeepSeek-R1: {prompt} -> {choices[].text}

export type Modality = 'TEXT' | 'IMAGE' | 'EMBEDDING' | 'VIDEO' | 'SPEECH';
export type InferenceUse = 'on-demand' | 'batch';
