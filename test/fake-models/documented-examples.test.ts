// Documented-request conformance: each test is one request body from an AWS page, written as the page shows it
// (placeholders such as `prompt` or an image's base64 filled in with a value), sent to the family module that
// serves the model. A body the page shows as valid must be answered in the response shape the page documents;
// one it documents as invalid must be refused with a ValidationException. Pages were read on 2026-11-30
// (FORMAT-NOTES.md lists the decisions taken where pages disagree). A second part sends some of the same bodies
// over a real port with the AWS SDK, for models the catalogue serves.
import { BedrockRuntimeClient, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startServer, type RunningEmulator } from '../../src/emulator/server.js';
import { FAMILIES, invokeModel, ScriptBook } from '../../src/fake-models/index.js';
import type { BodyFamily } from '../../src/registry/index.js';
import { validationMessage } from './helpers.js';

const NOW = Date.UTC(2026, 10, 30);
const answer = (family: BodyFamily, modelId: string, body: unknown): any => FAMILIES[family].invoke(body, { modelId, now: NOW }).body;
const streamed = (family: BodyFamily, modelId: string, body: unknown): any[] => FAMILIES[family].stream!(body, { modelId, now: NOW }).events;
const refused = (family: BodyFamily, modelId: string, body: unknown) => validationMessage(() => FAMILIES[family].invoke(body, { modelId, now: NOW }));
/** Checks a generated tool input against the tool's JSON Schema. */
const satisfies = (schema: object, value: unknown) => {
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
};
// A 1×1 PNG, standing in for the pages' `base64_string` / "content image bytes".
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const prompt = "Describe the purpose of a 'hello world' program in one line.";

describe('Anthropic Claude Messages API — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html', () => {
  const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
  it('Invoke Anthropic Claude with InvokeModel (code example: AnthropicClaude_InvokeModel) answers a message', () => {
    const native_request = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 512,
      temperature: 0.5,
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    };
    const o = answer('anthropic-messages', haiku, native_request);
    expect(o).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text' }] });
    expect(['end_turn', 'max_tokens', 'stop_sequence']).toContain(o.stop_reason);
    expect(o.usage).toEqual({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
  });
  it('request: an image block with media_type image/webp (one of jpeg, png, gif, webp) is read', () => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/webp', data: PNG_B64 } }, { type: 'text', text: 'content text' }] }] };
    expect(answer('anthropic-messages', haiku, body).type).toBe('message');
  });
  it('request: an image media_type outside jpeg/png/gif/webp (image/bmp) is refused', () => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: PNG_B64 } }] }] };
    expect(refused('anthropic-messages', haiku, body)).toMatch(/media_type: Input should be 'image\/jpeg', 'image\/png', 'image\/gif' or 'image\/webp'/);
  });
});

describe('Anthropic Claude Text Completions API — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-text-completion.html', () => {
  it('the page\'s request ("\\n\\nHuman:<prompt>\\n\\nAssistant:", max_tokens_to_sample, stop_sequences) answers a completion', () => {
    const payload = { prompt: '\n\nHuman: Complete the following in one sentence: "Once upon a time..."\n\nAssistant:', max_tokens_to_sample: 500, temperature: 0.5, stop_sequences: ['\n\nHuman:'] };
    const o = answer('anthropic-text', 'anthropic.claude-v2', payload);
    expect(o).toEqual({ type: 'completion', completion: expect.any(String), stop_reason: expect.stringMatching(/^(stop_sequence|max_tokens)$/), stop: expect.anything() });
  });
  it('a prompt without the "\\n\\nHuman:" turn is refused (the code example\'s "Human: …" form; FORMAT-NOTES.md)', () => {
    expect(refused('anthropic-text', 'anthropic.claude-v2', { prompt: 'Hello', max_tokens_to_sample: 500 })).toMatch(/prompt must start with "\n\nHuman:" turn/);
  });
});

describe('Amazon Titan Multimodal Embeddings G1 — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-mm.html', () => {
  const mm = 'amazon.titan-embed-image-v1';
  it('inputText, inputImage (base64) and embeddingConfig.outputEmbeddingLength answer embedding and inputTextTokenCount', () => {
    const o = answer('titan-embed-image', mm, { inputText: 'a cat', inputImage: PNG_B64, embeddingConfig: { outputEmbeddingLength: 256 } });
    expect(o.embedding).toHaveLength(256);
    expect(o.inputTextTokenCount).toEqual(expect.any(Number));
  });
  it('neither inputText nor inputImage is refused; outputEmbeddingLength outside 256/384/1024 is refused', () => {
    expect(refused('titan-embed-image', mm, { embeddingConfig: { outputEmbeddingLength: 256 } })).toMatch(/At least one of inputText or inputImage/);
    expect(refused('titan-embed-image', mm, { inputText: 'a', embeddingConfig: { outputEmbeddingLength: 512 } })).toMatch(/512 is not a valid enum value/);
  });
});

describe('Amazon Titan Text models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-text.html', () => {
  it('Invoke Amazon Titan Text with InvokeModel (code example: AmazonTitanText_InvokeModel) answers results[]', () => {
    const native_request = { inputText: prompt, textGenerationConfig: { maxTokenCount: 512, temperature: 0.5 } };
    const o = answer('titan-text', 'amazon.titan-text-premier-v1:0', native_request);
    expect(o.inputTextTokenCount).toEqual(expect.any(Number));
    expect(o.results[0]).toEqual({ tokenCount: expect.any(Number), outputText: expect.any(String), completionReason: expect.stringMatching(/^(FINISH|LENGTH|STOP_CRITERIA_MET)$/) });
  });
});

describe('Amazon Titan Embeddings Text — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html', () => {
  const v2 = 'amazon.titan-embed-text-v2:0';
  it('V2 request {inputText, dimensions, normalize} (code example: TitanTextEmbeddingsV2_AdditionalFields) answers embedding, inputTextTokenCount and embeddingsByType.float', () => {
    const request = { inputText: prompt, dimensions: 512, normalize: true };
    const o = answer('titan-embed-text-v2', v2, request);
    expect(o.embedding).toHaveLength(512);
    expect(o.inputTextTokenCount).toEqual(expect.any(Number));
    // "This field will always appear. Even if you don't specify embeddingTypes in your input, there will still be float."
    expect(o.embeddingsByType).toEqual({ float: o.embedding });
  });
  it('V2 embeddingTypes ["float", "binary"] answers both lists in embeddingsByType', () => {
    const o = answer('titan-embed-text-v2', v2, { inputText: prompt, dimensions: 256, normalize: true, embeddingTypes: ['float', 'binary'] });
    expect(o.embeddingsByType.float).toHaveLength(256);
    expect(o.embeddingsByType.binary).toHaveLength(256);
    expect(new Set(o.embeddingsByType.binary)).toEqual(new Set([0, 1]));
  });
  it('V2 embeddingTypes ["binary"] answers the binary list only, without the float `embedding`', () => {
    const o = answer('titan-embed-text-v2', v2, { inputText: prompt, embeddingTypes: ['binary'] });
    expect(Object.keys(o.embeddingsByType)).toEqual(['binary']);
    expect(o).not.toHaveProperty('embedding');
  });
  it('V2 dimensions outside 1024/512/256 are refused', () => {
    expect(refused('titan-embed-text-v2', v2, { inputText: prompt, dimensions: 768 })).toMatch(/#\/dimensions: 768 is not a valid enum value/);
  });
});

describe('Amazon Titan Embeddings G1 - Text — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html', () => {
  it('Titan Text Embeddings G1 quickstart (code example: InvokeModel_TitanTextEmbeddingsG1_Quickstart) answers 1,536 floats', () => {
    const request = { inputText: "Please recommend books with a theme similar to the movie 'Inception'." };
    const o = answer('titan-embed-text-v1', 'amazon.titan-embed-text-v1', request);
    expect(o.embedding).toHaveLength(1536);
    expect(o.inputTextTokenCount).toEqual(expect.any(Number));
  });
  it('G1 has no inference parameters: dimensions is refused', () => {
    expect(refused('titan-embed-text-v1', 'amazon.titan-embed-text-v1', { inputText: 'x', dimensions: 256 })).toMatch(/extraneous key \[dimensions\]/);
  });
});

describe('Amazon Titan Image Generator G1 — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html', () => {
  const v1 = 'amazon.titan-image-generator-v1';
  const v2 = 'amazon.titan-image-generator-v2:0';
  const imageGenerationConfig = { numberOfImages: 1, quality: 'standard', cfgScale: 8.0, height: 512, width: 512, seed: 42 };
  const isPng = (b64: string) => expect(Buffer.from(b64, 'base64').subarray(1, 4).toString()).toBe('PNG');
  it.each([v1, v2])('Invoke Titan Image Generator (code example: InvokeModel_TitanImageGenerator) answers images[] on %s', (modelId) => {
    const native_request = { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'A stylized picture of a cute old steampunk robot.' }, imageGenerationConfig };
    const o = answer('titan-image', modelId, native_request);
    expect(o.images).toHaveLength(1);
    isPng(o.images[0]);
    expect(o.error).toBeNull();
  });
  it('v2 TEXT_IMAGE with image conditioning (conditionImage, controlMode CANNY_EDGE, controlStrength) is answered', () => {
    const body = { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a house', negativeText: 'blurry', conditionImage: PNG_B64, controlMode: 'CANNY_EDGE', controlStrength: 0.7 }, imageGenerationConfig };
    isPng(answer('titan-image', v2, body).images[0]);
  });
  it('v1 has no image conditioning: conditionImage is refused', () => {
    const body = { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a house', conditionImage: PNG_B64 } };
    expect(refused('titan-image', v1, body)).toMatch(/extraneous key \[conditionImage\]/);
  });
  it('v2 COLOR_GUIDED_GENERATION with colors (hex codes) and a referenceImage is answered', () => {
    const body = { taskType: 'COLOR_GUIDED_GENERATION', colorGuidedGenerationParams: { text: 'a tabby cat', negativeText: 'dog', referenceImage: PNG_B64, colors: ['#ff8080', '#ffb280', '#ffe680'] }, imageGenerationConfig: { ...imageGenerationConfig, numberOfImages: 2 } };
    expect(answer('titan-image', v2, body).images).toHaveLength(2);
  });
  it('v2 BACKGROUND_REMOVAL takes backgroundRemovalParams.image and answers one image', () => {
    const body = { taskType: 'BACKGROUND_REMOVAL', backgroundRemovalParams: { image: PNG_B64 } };
    expect(answer('titan-image', v2, body).images).toHaveLength(1);
  });
  it('BACKGROUND_REMOVAL and COLOR_GUIDED_GENERATION are "V2 only": v1 refuses them', () => {
    expect(refused('titan-image', v1, { taskType: 'BACKGROUND_REMOVAL', backgroundRemovalParams: { image: PNG_B64 } })).toMatch(/#\/taskType: BACKGROUND_REMOVAL is not a valid enum value/);
  });
  it('INPAINTING needs its image and one mask (maskPrompt or maskImage); without a mask it is refused', () => {
    expect(answer('titan-image', v1, { taskType: 'INPAINTING', inPaintingParams: { image: PNG_B64, text: 'a hat', maskPrompt: 'the head' } }).images).toHaveLength(1);
    expect(refused('titan-image', v1, { taskType: 'INPAINTING', inPaintingParams: { image: PNG_B64, text: 'a hat' } })).toMatch(/exactly one of maskPrompt or maskImage/);
  });
  it('IMAGE_VARIATION takes images[] (v2 adds similarityStrength 0.2–1)', () => {
    expect(answer('titan-image', v2, { taskType: 'IMAGE_VARIATION', imageVariationParams: { images: [PNG_B64], similarityStrength: 0.7, text: 'brighter' } }).images).toHaveLength(1);
    expect(refused('titan-image', v1, { taskType: 'IMAGE_VARIATION', imageVariationParams: { images: [PNG_B64], similarityStrength: 0.7 } })).toMatch(/extraneous key \[similarityStrength\]/);
  });
});

describe('Amazon Nova — https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema.html and using-invoke-api.html', () => {
  const lite = 'amazon.nova-lite-v1:0';
  // The Nova user guide's image-understanding Invoke example, with camelCase inferenceConfig.
  const imageUnderstanding = {
    schemaVersion: 'messages-v1',
    messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: PNG_B64 } } }, { text: 'Provide art titles for this image.' }] }],
    system: [{ text: 'You are an expert artist. When the user provides you with an image, provide 3 potential art titles' }],
    inferenceConfig: { maxTokens: 300, topP: 0.1, topK: 20, temperature: 0.3 },
  };
  it('the image-understanding Invoke example (inferenceConfig {"maxTokens": 300, "topP": 0.1, "topK": 20, "temperature": 0.3}) is answered', () => {
    const o = answer('nova', lite, imageUnderstanding);
    expect(o.output.message).toEqual({ role: 'assistant', content: [{ text: expect.any(String) }] });
    expect(o.stopReason).toMatch(/^(end_turn|max_tokens|stop_sequence)$/);
    expect(o.usage).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: o.usage.inputTokens + o.usage.outputTokens });
  });
  it('"Amazon Nova Micro does not support images or videos as input": the same body is refused on Nova Micro', () => {
    expect(refused('nova', 'amazon.nova-micro-v1:0', imageUnderstanding)).toMatch(/doesn't support the image content block/);
  });
  it('maxTokens caps the answer: the camelCase limit is honoured as the snake_case one was', () => {
    const o = answer('nova', lite, { messages: [{ role: 'user', content: [{ text: 'tell me a story' }] }], inferenceConfig: { maxTokens: 3, topP: 0.9, topK: 20, stopSequences: ['END'] } });
    expect(o.usage.outputTokens).toBeLessThanOrEqual(3);
    expect(o.stopReason).toBe('max_tokens');
  });
  it('the older model-parameters form, inferenceConfig {max_new_tokens, top_p, top_k}, is still answered', () => {
    const o = answer('nova', lite, { messages: [{ role: 'user', content: [{ text: 'A camping trip' }] }], inferenceConfig: { max_new_tokens: 500, top_p: 0.9, top_k: 20, temperature: 0.7 } });
    expect(o.output.message.role).toBe('assistant');
  });
  it('Nova 2 "Using the Invoke API" request_body (maxTokens 512, temperature 0.7) is answered', () => {
    const request_body = { messages: [{ role: 'user', content: [{ text: 'What is machine learning?' }] }], inferenceConfig: { maxTokens: 512, temperature: 0.7 } };
    const o = answer('nova', 'amazon.nova-2-lite-v1:0', request_body);
    expect(o.output.message.content.find((c: any) => 'text' in c).text).toEqual(expect.any(String));
    expect(o.stopReason).toBe('end_turn');
  });
  it('Nova 2 reasoningConfig {type: enabled, maxReasoningEffort} answers a reasoningContent block ([REDACTED]) before the text', () => {
    const body = { messages: [{ role: 'user', content: [{ text: 'Prove that there are infinitely many primes.' }] }], inferenceConfig: { maxTokens: 2000, reasoningConfig: { type: 'enabled', maxReasoningEffort: 'low' } } };
    const content = answer('nova', 'amazon.nova-2-lite-v1:0', body).output.message.content;
    expect(content[0]).toEqual({ reasoningContent: { reasoningText: { text: '[REDACTED]' } } });
    expect(content[1].text).toEqual(expect.any(String));
    const events = streamed('nova', 'amazon.nova-2-lite-v1:0', body);
    expect(events[1]).toEqual({ contentBlockDelta: { delta: { reasoningContent: { text: '[REDACTED]' } }, contentBlockIndex: 0 } });
  });
  it('reasoningConfig is "Nova 2 Lite and Sonic only": Nova 1 refuses it', () => {
    const body = { messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 100, reasoningConfig: { type: 'enabled' } } };
    expect(refused('nova', lite, body)).toMatch(/extraneous key \[reasoningConfig\]/);
  });

  // Tool use (Nova user guide, "Tool use"): the top_song tool of AWS's examples.
  const toolConfig = (toolChoice: object) => ({
    tools: [
      {
        toolSpec: {
          name: 'top_song',
          description: 'Get the most popular song played on a radio station.',
          inputSchema: { json: { type: 'object', properties: { sign: { type: 'string', description: 'The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP.' } }, required: ['sign'] } },
        },
      },
      { toolSpec: { name: 'weather', description: 'Weather for a city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['city', 'days'] } } } },
    ],
    toolChoice,
  });
  const ask = (toolChoice: object) => ({ schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }], toolConfig: toolConfig(toolChoice), inferenceConfig: { maxTokens: 300 } });
  it('toolChoice {tool: {name}} forces a toolUse of that tool, its input valid for the tool\'s inputSchema', () => {
    const o = answer('nova', lite, ask({ tool: { name: 'weather' } }));
    expect(o.stopReason).toBe('tool_use');
    const use = o.output.message.content.find((c: any) => c.toolUse).toolUse;
    expect(use).toEqual({ toolUseId: expect.stringMatching(/^tooluse_/), name: 'weather', input: expect.any(Object) });
    satisfies(toolConfig({}).tools[1].toolSpec.inputSchema.json, use.input);
  });
  it('toolChoice {any: {}} forces a tool call', () => {
    const o = answer('nova', lite, ask({ any: {} }));
    expect(o.stopReason).toBe('tool_use');
    const use = o.output.message.content.find((c: any) => c.toolUse).toolUse;
    satisfies(toolConfig({}).tools.find((t) => t.toolSpec.name === use.name)!.toolSpec.inputSchema.json, use.input);
  });
  it('a streamed forced tool call starts the block with the tool name and sends the input as one JSON delta', () => {
    const events = streamed('nova', lite, ask({ tool: { name: 'top_song' } }));
    const start = events.find((e) => e.contentBlockStart).contentBlockStart;
    expect(start.start.toolUse.name).toBe('top_song');
    satisfies(toolConfig({}).tools[0].toolSpec.inputSchema.json, JSON.parse(events.find((e) => e.contentBlockDelta?.delta.toolUse).contentBlockDelta.delta.toolUse.input));
    expect(events.at(-2)).toEqual({ messageStop: { stopReason: 'tool_use' } });
  });
  it('toolChoice naming a tool that toolConfig lacks is refused', () => {
    expect(refused('nova', lite, ask({ tool: { name: 'nope' } }))).toMatch(/nope/);
  });
});

describe('Amazon Nova Multimodal Embeddings — https://docs.aws.amazon.com/nova/latest/userguide/embeddings-schema.html', () => {
  const mme = 'amazon.nova-2-multimodal-embeddings-v1:0';
  it('a synchronous text request answers embeddings[] with embeddingType TEXT and embeddingDimension floats', () => {
    const body = { schemaVersion: 'nova-multimodal-embed-v1', taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 1024, text: { truncationMode: 'END', value: 'Hello, World!' } } };
    const o = answer('nova-embed', mme, body);
    expect(o.embeddings).toHaveLength(1);
    expect(o.embeddings[0].embeddingType).toBe('TEXT');
    expect(o.embeddings[0].embedding).toHaveLength(1024);
  });
  it('an image (format, source.bytes) with detailLevel answers an IMAGE embedding; 3072 dimensions by default', () => {
    const body = { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_RETRIEVAL', image: { detailLevel: 'STANDARD_IMAGE', format: 'png', source: { bytes: PNG_B64 } } } };
    const o = answer('nova-embed', mme, body);
    expect(o.embeddings[0]).toEqual({ embeddingType: 'IMAGE', embedding: expect.any(Array) });
    expect(o.embeddings[0].embedding).toHaveLength(3072);
  });
  it('a video in S3 with embeddingMode AUDIO_VIDEO_SEPARATE answers a VIDEO and an AUDIO embedding', () => {
    const body = { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'VIDEO_RETRIEVAL', embeddingDimension: 256, video: { format: 'mp4', source: { s3Location: { uri: 's3://my-bucket/object-key', bucketOwner: '123456789012' } }, embeddingMode: 'AUDIO_VIDEO_SEPARATE' } } };
    expect(answer('nova-embed', mme, body).embeddings.map((e: any) => e.embeddingType)).toEqual(['VIDEO', 'AUDIO']);
  });
  it('audio (mp3) answers an AUDIO embedding', () => {
    const body = { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'AUDIO_RETRIEVAL', embeddingDimension: 384, audio: { format: 'mp3', source: { s3Location: { uri: 's3://my-bucket/a.mp3' } } } } };
    expect(answer('nova-embed', mme, body).embeddings[0].embeddingType).toBe('AUDIO');
  });
  it('taskType "Must be SINGLE_EMBEDDING for synchronous calls": SEGMENTED_EMBEDDING is refused', () => {
    expect(refused('nova-embed', mme, { taskType: 'SEGMENTED_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { truncationMode: 'END', value: 'x' } } })).toMatch(/#\/taskType: SEGMENTED_EMBEDDING is not a valid enum value/);
  });
  it('an embeddingDimension outside 256/384/1024/3072, or two modalities at once, is refused', () => {
    expect(refused('nova-embed', mme, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 512, text: { truncationMode: 'END', value: 'x' } } })).toMatch(/512 is not a valid enum value/);
    expect(refused('nova-embed', mme, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { truncationMode: 'END', value: 'x' }, image: { format: 'png', source: { bytes: PNG_B64 } } } })).toMatch(/exactly one of text, image, audio or video/);
  });
});

describe('Meta Llama models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-meta.html', () => {
  const formatted_prompt = `\n<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n${prompt}\n<|eot_id|>\n<|start_header_id|>assistant<|end_header_id|>\n`;
  it('Invoke Meta Llama 3 (code example: InvokeModel_MetaLlama3) answers generation and token counts', () => {
    const native_request = { prompt: formatted_prompt, max_gen_len: 512, temperature: 0.5 };
    const o = answer('llama', 'meta.llama3-70b-instruct-v1:0', native_request);
    expect(o).toEqual({ generation: expect.any(String), prompt_token_count: expect.any(Number), generation_token_count: expect.any(Number), stop_reason: expect.stringMatching(/^(stop|length)$/) });
  });
  it('Llama 4 takes base64 images with <|image|> in the prompt; a text-only Llama 3 refuses them', () => {
    const body = { prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n<|image|>What is in this image?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n', images: [PNG_B64], max_gen_len: 256 };
    expect(answer('llama', 'meta.llama4-scout-17b-instruct-v1:0', body).generation).toEqual(expect.any(String));
    expect(refused('llama', 'meta.llama3-70b-instruct-v1:0', body)).toMatch(/extraneous key \[images\]/);
  });
  it('Llama 4 model cards ("Max output tokens: 8K"): max_gen_len 8192 is taken by Llama 4, refused above 2048 by Llama 3', () => {
    const body = { prompt: formatted_prompt, max_gen_len: 8192 };
    expect(answer('llama', 'meta.llama4-maverick-17b-instruct-v1:0', body).generation).toEqual(expect.any(String));
    expect(refused('llama', 'meta.llama3-70b-instruct-v1:0', body)).toMatch(/#\/max_gen_len: 8192 is not less or equal to 2048/);
  });
});

describe('Mistral AI models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-mistral.html', () => {
  it('Invoke Mistral AI (code example: MistralAi_InvokeModel) answers outputs[]', () => {
    const native_request = { prompt: `<s>[INST] ${prompt} [/INST]`, max_tokens: 512, temperature: 0.5 };
    expect(answer('mistral-prompt', 'mistral.mistral-large-2402-v1:0', native_request).outputs[0]).toEqual({ text: expect.any(String), stop_reason: expect.stringMatching(/^(stop|length)$/) });
  });
  it('the chat completion request (messages, max_tokens, temperature, top_p) answers choices[].message', () => {
    const body = { messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: prompt }], max_tokens: 512, temperature: 0.5, top_p: 0.9 };
    const c = answer('mistral-chat', 'mistral.mistral-large-2407-v1:0', body).choices[0];
    expect(c).toMatchObject({ index: 0, message: { role: 'assistant', content: expect.any(String) }, stop_reason: expect.stringMatching(/^(stop|length)$/) });
  });
  it('Mistral Large (24.07) chat with tool_choice "any" calls a tool, its arguments valid for the function parameters', () => {
    const parameters = { type: 'object', properties: { transaction_id: { type: 'string', description: 'The transaction id.' } }, required: ['transaction_id'] };
    const body = { messages: [{ role: 'user', content: "What's the status of my transaction T1001?" }], tools: [{ type: 'function', function: { name: 'retrieve_payment_status', description: 'Get payment status of a transaction', parameters } }], tool_choice: 'any' };
    const choice = answer('mistral-chat', 'mistral.mistral-large-2407-v1:0', body).choices[0];
    expect(choice.stop_reason).toBe('tool_calls');
    satisfies(parameters, JSON.parse(choice.message.tool_calls[0].function.arguments));
  });
});

describe('Cohere Command models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-cohere-command.html', () => {
  it('Invoke Cohere Command Light (code example: InvokeModel_CohereCommand) answers generations[]', () => {
    const native_request = { prompt, max_tokens: 512, temperature: 0.5 };
    const o = answer('cohere-command', 'cohere.command-light-text-v14', native_request);
    expect(o.generations[0]).toMatchObject({ id: expect.any(String), text: expect.any(String), finish_reason: expect.stringMatching(/^(COMPLETE|MAX_TOKENS)$/) });
    expect(o.prompt).toBe(prompt);
  });
  it('max_tokens above 4,096 and more than 4 stop_sequences are refused', () => {
    expect(refused('cohere-command', 'cohere.command-text-v14', { prompt, max_tokens: 4097 })).toMatch(/4097 is not less or equal to 4096/);
    expect(refused('cohere-command', 'cohere.command-text-v14', { prompt, stop_sequences: ['a', 'b', 'c', 'd', 'e'] })).toMatch(/expected maximum item count: 4/);
  });
});

describe('AI21 Labs Jurassic-2 models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-jurassic2.html', () => {
  it('Invoke AI21 Labs Jurassic-2 (code example: InvokeModel_Ai21LabsJurassic2) answers completions[].data.text', () => {
    const native_request = { prompt, maxTokens: 512, temperature: 0.5 };
    const o = answer('ai21-j2', 'ai21.j2-mid-v1', native_request);
    expect(o.completions[0].data.text).toEqual(expect.any(String));
    expect(o.completions[0].finishReason.reason).toMatch(/^(endoftext|length|stop)$/);
    expect(o.prompt.text).toBe(prompt);
  });
});

describe('Cohere Command R and Command R+ — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-cohere-command-r-plus.html', () => {
  it('Invoke Cohere Command R (code example: InvokeModel_CohereCommandR) answers text and finish_reason', () => {
    const native_request = { message: prompt, max_tokens: 512, temperature: 0.5 };
    const o = answer('cohere-command-r', 'cohere.command-r-v1:0', native_request);
    expect(o).toMatchObject({ response_id: expect.any(String), text: expect.any(String), generation_id: expect.any(String), finish_reason: 'COMPLETE' });
    expect(o).not.toHaveProperty('tool_calls');
  });
  it('with tools (name, description, parameter_definitions) the answer carries tool_calls whose parameters have the required members', () => {
    const body = {
      message: 'What is the most popular song on WZPZ?',
      tools: [{ name: 'top_song', description: 'Get the most popular song played on a radio station.', parameter_definitions: { sign: { description: 'The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP.', type: 'str', required: true } } }],
    };
    const o = answer('cohere-command-r', 'cohere.command-r-plus-v1:0', body);
    expect(o.tool_calls).toEqual([{ name: 'top_song', parameters: { sign: expect.any(String) } }]);
  });
  it('with tool_results to read, the answer is text without tool_calls', () => {
    const body = { message: 'What is the most popular song on WZPZ?', tools: [{ name: 'top_song', description: 'd', parameter_definitions: {} }], tool_results: [{ call: { name: 'top_song', parameters: { sign: 'WZPZ' } }, outputs: [{ song: 'Elemental Hotel' }] }] };
    expect(answer('cohere-command-r', 'cohere.command-r-plus-v1:0', body)).not.toHaveProperty('tool_calls');
  });
});

describe('Cohere Embed v3 — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html', () => {
  it('a texts request answers embeddings_floats with the texts', () => {
    const o = answer('cohere-embed', 'cohere.embed-english-v3', { texts: ['hello', 'goodbye'], input_type: 'search_document', truncate: 'NONE' });
    expect(o).toMatchObject({ response_type: 'embeddings_floats', texts: ['hello', 'goodbye'] });
    expect(o.embeddings).toHaveLength(2);
  });
  it('an image request (input_type image, images as a data URI) answers the embedding and an `images` description', () => {
    const o = answer('cohere-embed', 'cohere.embed-english-v3', { input_type: 'image', images: [`data:image/png;base64,${PNG_B64}`], embedding_types: ['float'] });
    expect(o.response_type).toBe('embeddings_by_type');
    expect(o.embeddings.float).toHaveLength(1);
    expect(o.images).toEqual([{ width: 1, height: 1, format: 'png', bit_depth: 24 }]);
  });
  it('an image that is no data URI is refused', () => {
    expect(refused('cohere-embed', 'cohere.embed-english-v3', { input_type: 'image', images: [PNG_B64] })).toMatch(/does not match pattern/);
  });
});

describe('Cohere Embed v4 — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v4.html', () => {
  const v4 = 'cohere.embed-v4:0';
  it('texts with embedding_types and output_dimension answer embeddings by type at that dimension', () => {
    const o = answer('cohere-embed-v4', v4, { input_type: 'search_document', texts: ['hello world'], embedding_types: ['float', 'int8'], output_dimension: 512 });
    expect(o).toMatchObject({ id: expect.any(String), response_type: 'embeddings_by_type', texts: ['hello world'] });
    expect(o.embeddings.float[0]).toHaveLength(512);
    expect(o.embeddings.int8[0]).toHaveLength(512);
  });
  it('interleaved inputs: content [{type text}, {type image_url, image_url: "data:…"}] (the page\'s request) is answered', () => {
    const o = answer('cohere-embed-v4', v4, { input_type: 'search_document', inputs: [{ content: [{ type: 'text', text: 'page 1' }, { type: 'image_url', image_url: `data:image/png;base64,${PNG_B64}` }] }], embedding_types: ['float'], output_dimension: 1024, max_tokens: 128000, truncate: 'NONE' });
    expect(o.embeddings.float[0]).toHaveLength(1024);
    expect(o.images).toEqual([{ width: 1, height: 1, format: 'png', bit_depth: 24 }]);
  });
  it('image_url as {url: "data:…"} (the page\'s markdown and Cohere\'s own form) is answered too', () => {
    const o = answer('cohere-embed-v4', v4, { input_type: 'search_query', inputs: [{ content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } }] }] });
    expect(o.embeddings.float[0]).toHaveLength(1536);
  });
  it('"Don\'t send texts and images together", and output_dimension outside 256/512/1024/1536, are refused', () => {
    expect(refused('cohere-embed-v4', v4, { input_type: 'search_document', texts: ['a'], images: [`data:image/png;base64,${PNG_B64}`] })).toMatch(/2 subschemas matched/);
    expect(refused('cohere-embed-v4', v4, { input_type: 'search_document', texts: ['a'], output_dimension: 768 })).toMatch(/768 is not a valid enum value/);
  });
});

describe('AI21 Labs Jamba models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-jamba.html', () => {
  it('a chat body answers choices[] and usage', () => {
    const o = answer('ai21-jamba', 'ai21.jamba-1-5-mini-v1:0', { messages: [{ role: 'user', content: 'Which is the most popular song on WZPZ?' }], max_tokens: 256, temperature: 0.7, top_p: 0.8, stop: ['###'], n: 1 });
    expect(o.choices[0]).toMatchObject({ index: 0, message: { role: 'assistant', content: expect.any(String) } });
    expect(o.usage.total_tokens).toBe(o.usage.prompt_tokens + o.usage.completion_tokens);
  });
  it('with tools, the call it answers has arguments valid for the function parameters', () => {
    const parameters = { type: 'object', properties: { sign: { type: 'string' }, limit: { type: 'integer' } }, required: ['sign', 'limit'] };
    // Several prompts, since a tool is called only after an answer that ends naturally.
    const calls = ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((q) => answer('ai21-jamba', 'ai21.jamba-1-5-large-v1:0', { messages: [{ role: 'user', content: q }], tools: [{ type: 'function', function: { name: 'top_song', description: 'd', parameters } }] }).choices[0].message.tool_calls ?? []);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) satisfies(parameters, JSON.parse(c.function.arguments));
  });
});

describe('Stability AI Stable Diffusion XL — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-1-0-text-image.html', () => {
  it('Invoke Stable Diffusion (code example: InvokeModel_StableDiffusion) answers artifacts[]', () => {
    const native_request = { text_prompts: [{ text: 'A stylized picture of a cute old steampunk robot.' }], style_preset: 'photographic', seed: 42, cfg_scale: 10, steps: 30 };
    const o = answer('stability-sdxl', 'stability.stable-diffusion-xl-v1', native_request);
    expect(o.result).toBe('success');
    expect(o.artifacts[0]).toEqual({ seed: 42, base64: expect.any(String), finishReason: 'SUCCESS' });
  });
});

describe('DeepSeek models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-deepseek.html', () => {
  const r1 = 'deepseek.r1-v1:0';
  it('the request body {prompt, temperature, top_p, max_tokens, stop} answers {choices: [{text, stop_reason}]}', () => {
    const formatted_prompt = `<｜begin▁of▁sentence｜><｜User｜>${prompt}<｜Assistant｜><think>\n`;
    const o = answer('deepseek-r1', r1, { prompt: formatted_prompt, temperature: 0.5, top_p: 0.9, max_tokens: 512, stop: ['<｜end▁of▁sentence｜>'] });
    expect(o).toEqual({ choices: [{ text: expect.any(String), stop_reason: expect.stringMatching(/^(stop|length)$/) }] });
  });
  it('max_tokens "minimum of 1 to a max of 32,768", stop "Maximum of 10 items": beyond them is refused', () => {
    expect(refused('deepseek-r1', r1, { prompt: 'x', max_tokens: 32_769 })).toMatch(/#\/max_tokens: 32769 is not less or equal to 32768/);
    expect(refused('deepseek-r1', r1, { prompt: 'x', stop: Array.from({ length: 11 }, (_, i) => `s${i}`) })).toMatch(/#\/stop: expected maximum item count: 10, found: 11/);
  });
  it('"length": the answer is cut at max_tokens', () => {
    expect(answer('deepseek-r1', r1, { prompt: 'write an essay', max_tokens: 2 }).choices[0].stop_reason).toBe('length');
  });
});

describe('OpenAI models — https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-openai.html', () => {
  const oss = 'openai.gpt-oss-20b-1:0';
  const body = { messages: [{ role: 'developer', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Hello! How can I help you today?' }], max_completion_tokens: 150, temperature: 0.7, top_p: 0.9 };
  it('an InvokeModel body (model omitted, stream omitted) answers a chat completion object with the reasoning in <reasoning> tags before the text', () => {
    const o = answer('openai-chat', oss, body);
    expect(o).toMatchObject({ id: expect.stringMatching(/^chatcmpl-/), object: 'chat.completion', created: NOW / 1000, model: oss });
    expect(o.choices[0]).toMatchObject({ index: 0, message: { role: 'assistant' }, finish_reason: expect.stringMatching(/^(stop|length)$/) });
    expect(o.choices[0].message.content).toMatch(/^<reasoning>[^<]*<\/reasoning>/);
    expect(o.usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: o.usage.prompt_tokens + o.usage.completion_tokens });
    expect(o.usage.completion_tokens).toBeLessThanOrEqual(150);
  });
  it('"The value in the model field must match the one in the header": the same id is answered, another refused', () => {
    expect(answer('openai-chat', oss, { ...body, model: oss }).model).toBe(oss);
    expect(refused('openai-chat', oss, { ...body, model: 'openai.gpt-oss-120b-1:0' })).toMatch(/doesn't match the model ID/);
  });
  it('"If you use InvokeModel, the stream value must be false": stream true is refused on InvokeModel, answered as chunks on the stream', () => {
    expect(refused('openai-chat', oss, { ...body, stream: true })).toMatch(/stream field must be false/);
    expect(answer('openai-chat', oss, { ...body, stream: false }).object).toBe('chat.completion');
    const events = streamed('openai-chat', oss, { ...body, stream: true });
    expect(events.every((e) => e.object === 'chat.completion.chunk')).toBe(true);
    expect(events[0].choices[0].delta.role).toBe('assistant');
    expect(events.at(-1).usage.total_tokens).toEqual(expect.any(Number));
  });
  it('"The OpenAI models support only text input": an image_url content part is refused', () => {
    const withImage = { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } }] }] };
    expect(refused('openai-chat', oss, withImage)).toMatch(/only text content parts/);
  });
  it('max_tokens (the older name of max_completion_tokens) and stop are taken', () => {
    const o = answer('openai-chat', oss, { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5, stop: ['\n'] });
    expect(o.usage.completion_tokens).toBeLessThanOrEqual(5);
    expect(o.choices[0].finish_reason).toBe('length');
  });
  it('tools with tool_choice naming a function answer tool_calls whose arguments satisfy its parameters', () => {
    const parameters = { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location', 'unit'] };
    const o = answer('openai-chat', oss, { messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [{ type: 'function', function: { name: 'get_weather', description: 'Get the weather', parameters } }], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    expect(o.choices[0].finish_reason).toBe('tool_calls');
    const call = o.choices[0].message.tool_calls[0];
    expect(call).toMatchObject({ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather' } });
    satisfies(parameters, JSON.parse(call.function.arguments));
  });
  it('a tool result (role tool, tool_call_id) is read and answered with text; a tool message without its call id is refused', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } }];
    const call = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } };
    const turns = [{ role: 'user', content: 'Weather in Paris?' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 21}' }];
    const o = answer('openai-chat', oss, { messages: turns, tools });
    expect(o.choices[0].finish_reason).toMatch(/^(stop|length)$/);
    expect(o.choices[0].message).not.toHaveProperty('tool_calls');
    expect(refused('openai-chat', oss, { messages: [...turns.slice(0, 2), { role: 'tool', content: '{}' }], tools })).toMatch(/required key \[tool_call_id\]/);
  });
  it('a scripted answer is the text after the reasoning', () => {
    const scripts = new ScriptBook();
    scripts.registerScript({ match: 'weather', response: { text: 'It is sunny' } });
    const o = invokeModel({ family: 'openai-chat', modelId: oss, scripts, now: NOW }, { messages: [{ role: 'user', content: 'the weather?' }] }).body as any;
    expect(o.choices[0].message.content).toMatch(/^<reasoning>[^<]+<\/reasoning>It is sunny$/);
  });
  it('Qwen3 VL reads an image_url part that gpt-oss refuses', () => {
    const withImage = { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } }] }] };
    expect(answer('openai-chat', 'qwen.qwen3-vl-235b-a22b', withImage).object).toBe('chat.completion');
  });
  it('Qwen3 and DeepSeek V3.1 answer the same Chat Completions body, without <reasoning> tags', () => {
    for (const id of ['qwen.qwen3-32b-v1:0', 'deepseek.v3-v1:0']) {
      const o = answer('openai-chat', id, { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 100 });
      expect(o.object).toBe('chat.completion');
      expect(o.choices[0].message.content).not.toMatch(/<reasoning>/);
    }
  });
});

// The same kind of bodies over HTTP with the AWS SDK.
describe('over a real port with the AWS SDK', () => {
  let server: RunningEmulator;
  const dir = mkdtempSync(join(tmpdir(), 'bbe-documented-'));
  beforeAll(async () => {
    server = await startServer({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir: dir });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const client = (region = 'us-east-1') => new BedrockRuntimeClient({ endpoint: server.endpoint, region, maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  const invoke = async (modelId: string, body: unknown, region?: string) => {
    const out = await client(region).send(new InvokeModelCommand({ modelId, body: new TextEncoder().encode(JSON.stringify(body)), contentType: 'application/json' }));
    return JSON.parse(new TextDecoder().decode(out.body));
  };

  it('Nova Lite answers the camelCase inferenceConfig body; Nova Micro refuses an image with a ValidationException', async () => {
    const body = { schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: PNG_B64 } } }, { text: 'Provide art titles for this image.' }] }], inferenceConfig: { maxTokens: 300, topP: 0.1, topK: 20, temperature: 0.3 } };
    expect((await invoke('amazon.nova-lite-v1:0', body)).output.message.role).toBe('assistant');
    await expect(invoke('amazon.nova-micro-v1:0', body)).rejects.toMatchObject({ name: 'ValidationException' });
  });
  it('Nova Lite streams a forced toolUse (contentBlockStart, JSON input delta, messageStop tool_use) on InvokeModelWithResponseStream', async () => {
    const inputSchema = { json: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] } };
    const body = { messages: [{ role: 'user', content: [{ text: 'Top song on WZPZ?' }] }], toolConfig: { tools: [{ toolSpec: { name: 'top_song', description: 'd', inputSchema } }], toolChoice: { tool: { name: 'top_song' } } }, inferenceConfig: { maxTokens: 300 } };
    const out = await client().send(new InvokeModelWithResponseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', body: new TextEncoder().encode(JSON.stringify(body)) }));
    const events: any[] = [];
    for await (const e of out.body!) if (e.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(e.chunk.bytes)));
    expect(events.find((e) => e.contentBlockStart).contentBlockStart.start.toolUse.name).toBe('top_song');
    satisfies(inputSchema.json, JSON.parse(events.find((e) => e.contentBlockDelta).contentBlockDelta.delta.toolUse.input));
    expect(events.find((e) => e.messageStop).messageStop.stopReason).toBe('tool_use');
  });
  it('Titan Text Embeddings V2 answers embeddingsByType', async () => {
    const o = await invoke('amazon.titan-embed-text-v2:0', { inputText: 'hello', embeddingTypes: ['binary'] });
    expect(o.embeddingsByType.binary).toHaveLength(1024);
  });
  it('Claude refuses an image/bmp media_type with a ValidationException', async () => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: PNG_B64 } }] }] };
    await expect(invoke('anthropic.claude-3-haiku-20240307-v1:0', body)).rejects.toMatchObject({ name: 'ValidationException' });
  });
  it('Command R answers tool_calls for tools', async () => {
    const o = await invoke('cohere.command-r-v1:0', { message: 'Top song on WZPZ?', tools: [{ name: 'top_song', description: 'd', parameter_definitions: { sign: { type: 'str', required: true } } }] });
    expect(o.tool_calls[0].parameters.sign).toEqual(expect.any(String));
  });
  it('gpt-oss answers a Chat Completions body, and streams it on InvokeModelWithResponseStream', async () => {
    const body = { messages: [{ role: 'user', content: 'Hello!' }], max_completion_tokens: 100 };
    const o = await invoke('openai.gpt-oss-20b-1:0', body, 'us-west-2');
    expect(o.object).toBe('chat.completion');
    const out = await client('us-west-2').send(new InvokeModelWithResponseStreamCommand({ modelId: 'openai.gpt-oss-20b-1:0', body: new TextEncoder().encode(JSON.stringify(body)) }));
    const chunks: any[] = [];
    for await (const e of out.body!) if (e.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(e.chunk.bytes)));
    expect(chunks[0].object).toBe('chat.completion.chunk');
  });
});
