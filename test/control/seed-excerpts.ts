// Verbatim excerpts of the seed documents (../shared/seeds, which a clean clone does not carry), so that the
// foundation-model tests compute where the seeds place each model without reading the registry's code.
// Each constant names the file and lines it was copied from.

/** 001_9c4f315d2e19bb8b.txt lines 50-165: per-model "Online processing" / "Batch inference" lines. */
export const SEED_001_AVAILABILITY = `#### Detailed Model Availability by Region

Below is a comprehensive breakdown of region availability for each model, distinguishing between online processing and batch inference capabilities.

##### Amazon Models

###### Amazon Titan Text Models

**Amazon Titan Text G1 - Express**
- **Online processing**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-1, ap-southeast-1, eu-central-1

**Amazon Titan Text G1 - Lite**
- **Online processing**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-1, ap-southeast-1, eu-central-1

**Amazon Titan Text G1 - Premier**
- **Online processing**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-1, ap-southeast-1, eu-central-1

###### Amazon Titan Embeddings Models

**Amazon Titan Multimodal Embeddings G1**
- **Online processing**: us-east-1, us-west-2, ap-northeast-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1

**Amazon Titan Text Embeddings V2**
- **Online processing**: us-east-1, us-west-2, ap-northeast-2, ca-central-1, eu-central-1, eu-west-2, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-2, ca-central-1, eu-central-1, eu-west-2, sa-east-1

###### Amazon Nova Models

**Amazon Nova Lite, Micro, and Pro**
- **Online processing**: us-east-1
- **Batch inference**: us-east-1

##### Anthropic Models

###### Claude 3 Family

**Claude 3 Opus**
- **Online processing**: us-east-1, us-west-2
- **Batch inference**: us-west-2 only

**Claude 3 Sonnet**
- **Online processing**: us-east-1, us-west-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1

**Claude 3 Haiku**
- **Online processing**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1

###### Claude 3.5 Family

**Claude 3.5 Sonnet**
- **Online processing**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-southeast-1, eu-central-1
- **Batch inference**: us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-southeast-1, eu-central-1

**Claude 3.5 Sonnet v2**
- **Online processing**: us-west-2
- **Batch inference**: us-west-2 only

**Claude 3.5 Haiku**
- **Online processing**: us-west-2
- **Batch inference**: us-west-2 only

**Claude 3.7 Sonnet**
- **Online processing**: us-east-1, us-east-2, us-west-2
- **Batch inference**: us-east-1, us-east-2, us-west-2

##### AI21 Labs Models

**Jurassic-2 Models (Mid, Ultra, J2 Jumbo Instruct)**
- **Online processing**: us-east-1 only
- **Batch inference**: us-east-1 only

**Jamba Models (1.5 Large, 1.5 Mini, Jamba-Instruct)**
- **Online processing**: Primarily in us-east-1, us-west-2
- **Batch inference**: us-east-1, us-west-2

##### Meta Llama Models

**Llama 3.1 405B Instruct**
- **Online processing**: us-west-2
- **Batch inference**: us-west-2 only

**Llama 3.1 70B Instruct**
- **Online processing**: us-west-2 and other select regions
- **Batch inference**: us-west-2

**Llama 3.1 8B Instruct and other Llama models**
- **Online processing**: us-east-1, us-east-2, us-west-2, and other select regions
- **Batch inference**: us-east-1, us-west-2

##### Mistral AI Models

**Mistral Large (24.02/24.07) and Mistral Small (24.02)**
- **Online processing**: Multiple regions including us-east-1, us-west-2, eu-west-1
- **Batch inference**: Primarily us-east-1, us-west-2

##### Cohere Models

**Cohere Command, Command R, Command R+**
- **Online processing**: Multiple regions including us-east-1, us-west-2, eu-central-1
- **Batch inference**: us-east-1, us-west-2, select other regions

**Cohere Embed Models**
- **Online processing**: Multiple regions
- **Batch inference**: Available for specific embedding generation tasks in select regions

##### Stability AI Models

**Stability.ai Diffusion Models**
- **Online processing**: Limited regions, primarily us-east-1, us-west-2
- **Batch inference**: Not widely supported for batch inference
`;

/** 001_9c4f315d2e19bb8b.txt lines 1127-1173: "Complete List of Models Supporting Batch Inference". */
export const SEED_001_BATCH_TABLE = `#### Complete List of Models Supporting Batch Inference

The following table shows the complete and most up-to-date list of models that support batch inference and their specific regional availability:

| Provider   | Model                          | Regions Supporting Batch Inference                                                                                                                          |
| ---------- | ------------------------------ | ------------------------------------------------------------------------------------------------------------------------------------------------------------ |
| Amazon     | Nova Lite                      | us-east-1                                                                                                                                                    |
| Amazon     | Nova Micro                     | us-east-1                                                                                                                                                    |
| Amazon     | Nova Pro                       | us-east-1                                                                                                                                                    |
| Amazon     | Titan Text G1 - Express        | us-east-1, us-west-2, ap-northeast-1, ap-southeast-1, eu-central-1                                                                                           |
| Amazon     | Titan Text G1 - Lite           | us-east-1, us-west-2, ap-northeast-1, ap-southeast-1, eu-central-1                                                                                           |
| Amazon     | Titan Text G1 - Premier        | us-east-1, us-west-2, ap-northeast-1, ap-southeast-1, eu-central-1                                                                                           |
| Amazon     | Titan Multimodal Embeddings G1 | us-east-1, us-west-2, ap-northeast-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1                     |
| Amazon     | Titan Text Embeddings V2       | us-east-1, us-west-2, ap-northeast-2, ca-central-1, eu-central-1, eu-west-2, sa-east-1                                                                       |
| Anthropic  | Claude 3.5 Haiku               | us-west-2                                                                                                                                                    |
| Anthropic  | Claude 3.5 Sonnet              | us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-southeast-1, eu-central-1                                                                           |
| Anthropic  | Claude 3.5 Sonnet v2           | us-west-2                                                                                                                                                    |
| Anthropic  | Claude 3.7 Sonnet              | us-east-1, us-east-2, us-west-2                                                                                                                              |
| Anthropic  | Claude 3 Haiku                 | us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1 |
| Anthropic  | Claude 3 Opus                  | us-west-2                                                                                                                                                    |
| Anthropic  | Claude 3 Sonnet                | us-east-1, us-west-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1                                      |
| Anthropic  | Claude 2.1                     | us-east-1, us-west-2, ap-northeast-1, eu-central-1                                                                                                           |
| Anthropic  | Claude 2.0                     | us-east-1, us-west-2, ap-southeast-1, eu-central-1                                                                                                           |
| Meta       | Llama 3.1 8B Instruct          | us-east-1, us-west-2                                                                                                                                         |
| Meta       | Llama 3.1 70B Instruct         | us-west-2                                                                                                                                                    |
| Meta       | Llama 3.1 405B Instruct        | us-west-2                                                                                                                                                    |
| Meta       | Llama 3.2 1B Instruct          | us-east-1, us-west-2                                                                                                                                         |
| Meta       | Llama 3.2 3B Instruct          | us-east-1, us-west-2                                                                                                                                         |
| Meta       | Llama 3.2 11B Instruct         | us-east-1, us-west-2                                                                                                                                         |
| Meta       | Llama 3.2 90B Instruct         | us-east-1, us-west-2                                                                                                                                         |
| Meta       | Llama 3.3 70B Instruct         | us-east-1, us-west-2                                                                                                                                         |
| AI21 Labs  | Jurassic-2 Mid                 | us-east-1                                                                                                                                                    |
| AI21 Labs  | Jurassic-2 Ultra               | us-east-1                                                                                                                                                    |
| AI21 Labs  | J2 Jumbo Instruct              | us-east-1                                                                                                                                                    |
| AI21 Labs  | Jamba-Instruct                 | us-east-1                                                                                                                                                    |
| AI21 Labs  | Jamba 1.5 Large                | us-east-1                                                                                                                                                    |
| AI21 Labs  | Jamba 1.5 Mini                 | us-east-1                                                                                                                                                    |
| Mistral AI | Mistral Small (24.02)          | us-east-1                                                                                                                                                    |
| Mistral AI | Mistral Large (24.02)          | us-east-1, us-west-2                                                                                                                                         |
| Mistral AI | Mistral Large (24.07)          | us-west-2                                                                                                                                                    |
| Mistral AI | Mixtral 8x7B Instruct          | us-east-1, us-west-2, ap-south-1, ap-southeast-2, ca-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1                                                   |
| Cohere     | Command                        | us-east-1, us-west-2                                                                                                                                         |
| Cohere     | Command R                      | us-east-1, us-west-2                                                                                                                                         |
| Cohere     | Command R+                     | us-east-1, us-west-2                                                                                                                                         |
| Cohere     | Embed English                  | us-east-1, us-west-2                                                                                                                                         |
| Cohere     | Embed Multilingual             | us-east-1, us-west-2                                                                                                                                         |
`;

/** 000_5975f6bdee734914.txt lines 5-49: "Model Availability by Provider and Region" tables. */
export const SEED_000_TABLES = `## Model Availability by Provider and Region

AWS Bedrock batch inference offers a 50% discount compared to on-demand pricing for the following models:

### Amazon Models

| Model | Foundation Model Regions | Inference Profile Regions | Custom Model |
|-------|--------------------------|---------------------------|-------------|
| Nova Lite | us-east-1 | us-east-1, us-east-2, us-west-2 | N/A |
| Nova Micro | us-east-1 | us-east-1, us-east-2, us-west-2 | N/A |
| Nova Pro | us-east-1 | us-east-1, us-east-2, us-west-2 | N/A |
| Titan Multimodal Embeddings G1 | us-east-1, us-west-2, ap-northeast-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1 | N/A | us-east-1, us-west-2 |
| Titan Text Embeddings V2 | us-east-1, us-west-2, ap-northeast-2, ca-central-1, eu-central-1, eu-west-2, sa-east-1 | N/A | N/A |

### Anthropic Models

| Model | Foundation Model Regions | Inference Profile Regions | Custom Model |
|-------|--------------------------|---------------------------|-------------|
| Claude 3.5 Haiku | us-west-2 | us-east-1, us-west-2 | N/A |
| Claude 3.5 Sonnet | us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-southeast-1, eu-central-1 | us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, eu-central-1, eu-west-1, eu-west-3 | N/A |
| Claude 3.5 Sonnet v2 | us-west-2 | us-east-1, us-east-2, us-west-2 | N/A |
| Claude 3 Haiku | us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1 | N/A | N/A |
| Claude 3 Opus | us-west-2 | us-east-1, us-west-2 | N/A |
| Claude 3 Sonnet | us-east-1, us-west-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1 | us-east-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1 | N/A |

### Meta Models

| Model | Foundation Model Regions | Inference Profile Regions | Custom Model |
|-------|--------------------------|---------------------------|-------------|
| Llama 3.1 405B Instruct | us-west-2 | N/A | N/A |
| Llama 3.1 70B Instruct | us-west-2 | us-east-1, us-west-2 | N/A |
| Llama 3.1 8B Instruct | us-west-2 | us-east-1, us-west-2 | N/A |
| Llama 3.2 11B Instruct | us-west-2 | us-east-1, us-west-2 | N/A |
| Llama 3.2 1B Instruct | us-west-2, eu-west-3 | us-east-1, us-west-2, eu-central-1, eu-west-1, eu-west-3 | N/A |
| Llama 3.2 3B Instruct | us-west-2, eu-west-3 | us-east-1, us-west-2, eu-central-1, eu-west-1, eu-west-3 | N/A |
| Llama 3.2 90B Instruct | us-west-2 | us-east-1, us-west-2 | N/A |
| Llama 3.3 70B Instruct | us-east-1, us-west-2 | us-east-1, us-east-2, us-west-2 | N/A |

### Mistral AI Models

| Model | Foundation Model Regions | Inference Profile Regions | Custom Model |
|-------|--------------------------|---------------------------|-------------|
| Mistral Large (24.07) | us-west-2 | N/A | N/A |
| Mistral Small (24.02) | us-east-1 | N/A | N/A |
`;

/** 002_d7cdba5c9603593b.txt lines 61-86: model IDs for Provisioned Throughput. */
export const SEED_002_PROVISIONED = `Model name No-commitment purchase supported for base model Model ID for Provisioned Throughput
Amazon Titan Text G1 - Express Yes amazon.titan-text-express-v1:0:8k
Amazon Titan Text G1 - Lite Yes amazon.titan-text-lite-v1:0:4k
Amazon Titan Text Premier (preview) Yes amazon.titan-text-premier-v1:0:32K
Amazon Titan Embeddings G1 - Text Yes amazon.titan-embed-text-v1:2:8k
Amazon Titan Embeddings G1 - Text v2 Yes amazon.titan-embed-text-v2:0:8k
Amazon Titan Multimodal Embeddings G1 Yes amazon.titan-embed-image-v1:0
Amazon Titan Image Generator G1 No amazon.titan-image-generator-v1:0
Anthropic Claude v2 18K Yes anthropic.claude-v2:0:18k
Anthropic Claude v2 100K Yes anthropic.claude-v2:0:100k
Anthropic Claude v2.1 18K Yes anthropic.claude-v2:1:18k
Anthropic Claude v2.1 200K Yes anthropic.claude-v2:1:200k
Anthropic Claude 3 Sonnet 28K Yes anthropic.claude-3-sonnet-20240229-v1:0:28k
Anthropic Claude 3 Sonnet 200K Yes anthropic.claude-3-sonnet-20240229-v1:0:200k
Anthropic Claude 3 Haiku 48K Yes anthropic.claude-3-haiku-20240307-v1:0:48k
Anthropic Claude 3 Haiku 200K Yes anthropic.claude-3-haiku-20240307-v1:0:200k
Anthropic Claude Instant v1 100K Yes anthropic.claude-instant-v1:2:100k
AI21 Labs Jurassic-2 Ultra Yes ai21.j2-ultra-v1:0:8k
Cohere Command Yes cohere.command-text-v14:7:4k
Cohere Command Light Yes cohere.command-light-text-v14:7:4k
Cohere Embed English Yes cohere.embed-english-v3:0:512
Cohere Embed Multilingual Yes cohere.embed-multilingual-v3:0:512
Stable Diffusion XL 1.0 No stability.stable-diffusion-xl-v1:0
Meta Llama 2 Chat 13B No meta.llama2-13b-chat-v1:0:4k
Meta Llama 2 13B No (see note below)
Meta Llama 2 70B No (see note below)`;
