#!/usr/bin/env node
// The CLI's launcher: the sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/client/cli.ts');
